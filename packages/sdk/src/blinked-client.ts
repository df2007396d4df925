import { type Client, createClient, createConfig } from './gen/client/index.js';
import { generateAndWait, type GenerateAndWaitOptions } from './generate-and-wait.js';
import type { GenerateVideoDto, TokenPairDto, VideoDto } from './gen/index.js';

export interface BlinkedTokens {
  accessToken: string;
  refreshToken?: string;
}

export interface BlinkedClientOptions {
  /** Where the api answers, e.g. http://127.0.0.1:8000 (the document's paths start at /api/v1). */
  baseUrl: string;
  accessToken?: string;
  refreshToken?: string;
  /** Called with the new pair after each refresh: refresh tokens are single-use, so store it. */
  onTokens?: (tokens: Required<BlinkedTokens>) => void;
  /** Defaults to globalThis.fetch. */
  fetch?: typeof fetch;
}

export interface BlinkedClient {
  /** Pass to any generated function: `videosGet({ client: blinked.client, path: { id } })`. */
  readonly client: Client;
  readonly baseUrl: string;
  /** The tokens in use now (after any refresh). */
  tokens(): BlinkedTokens | undefined;
  /** Use another pair from now on, e.g. after authLogin. */
  setTokens(tokens: BlinkedTokens | undefined): void;
  /** Submits a video and resolves when it is completed (see generate-and-wait.ts). */
  generateAndWait(request: GenerateVideoDto, options?: GenerateAndWaitOptions): Promise<VideoDto>;
}

const REFRESH_PATH = '/api/v1/auth/refresh';

/**
 * A client for the generated functions that sends the access token and, when a request
 * answers 401 while a refresh token is known, refreshes once and repeats the request.
 * Concurrent 401s share one refresh: the API detects a refresh token used twice and
 * revokes the whole family, so a second refresh with the same token would log the user out.
 */
export function createBlinkedClient(options: BlinkedClientOptions): BlinkedClient {
  const baseFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  let tokens: BlinkedTokens | undefined = options.accessToken ? { accessToken: options.accessToken, refreshToken: options.refreshToken } : undefined;
  if (!tokens && options.refreshToken) tokens = { accessToken: '', refreshToken: options.refreshToken };
  let refreshing: Promise<string | undefined> | undefined;

  async function refresh(): Promise<string | undefined> {
    const refreshToken = tokens?.refreshToken;
    if (!refreshToken) return undefined;
    const res = await baseFetch(`${baseUrl}${REFRESH_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    if (!res.ok) return undefined;
    const pair = (await res.json()) as TokenPairDto;
    tokens = { accessToken: pair.accessToken, refreshToken: pair.refreshToken };
    options.onTokens?.({ accessToken: pair.accessToken, refreshToken: pair.refreshToken });
    return pair.accessToken;
  }

  const refreshingFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    // Kept before the body is read, so the request can be sent again after a refresh.
    const again = request.clone();
    const sent = request.headers.get('authorization');
    const res = await baseFetch(request);
    if (res.status !== 401 || !tokens?.refreshToken || new URL(request.url).pathname === REFRESH_PATH) return res;
    // Another request may have refreshed while this one was out: then use its token.
    let access = tokens.accessToken && `Bearer ${tokens.accessToken}` !== sent ? tokens.accessToken : undefined;
    if (!access) {
      refreshing ??= refresh().finally(() => (refreshing = undefined));
      access = await refreshing;
    }
    if (!access) return res;
    await res.body?.cancel();
    const headers = new Headers(again.headers);
    headers.set('authorization', `Bearer ${access}`);
    return baseFetch(new Request(again, { headers }));
  };

  const client = createClient(createConfig({ baseUrl, fetch: refreshingFetch, auth: () => tokens?.accessToken || undefined }));
  return {
    client,
    baseUrl,
    tokens: () => (tokens ? { ...tokens } : undefined),
    setTokens: (next) => {
      tokens = next ? { ...next } : undefined;
    },
    generateAndWait: (request, waitOptions) => generateAndWait(client, request, waitOptions),
  };
}
