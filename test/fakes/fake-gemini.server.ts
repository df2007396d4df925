import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake of the Gemini API's generateContent (REST, as @google/genai 3.x sends it:
 * `POST {base}/v1/models/{model}:generateContent`, key in `x-goog-api-key`; v1beta and
 * `?key=` are accepted too), on 127.0.0.1, for unit and end-to-end tests. Point the
 * real SDK at it with `httpOptions.baseUrl` (GEMINI_BASE_URL=fake.baseUrl).
 *
 * Each call takes the next scripted step, or the default (a valid deck with as many
 * slides as the request asked for). Error bodies copy Google's real envelopes.
 */

export interface FakeDeck {
  title: string;
  slides: { title: string; bullets: string[]; narration: string }[];
}

export interface FakeUsage {
  input: number;
  output: number;
}

/** Tokens the fakes report per successful call unless a step says otherwise. */
export const FAKE_USAGE: FakeUsage = { input: 120, output: 340 };

export type FakeGeminiStep =
  /** A valid deck; slideCount defaults to what the request asked for. */
  | { kind: 'deck'; slideCount?: number; deck?: FakeDeck; usage?: FakeUsage }
  /** Raw candidate text, e.g. prose or truncated JSON. */
  | { kind: 'text'; text: string; usage?: FakeUsage }
  | { kind: 'invalid_json' }
  /** A valid deck with one slide too many (one too few at the maximum). */
  | { kind: 'wrong_count' }
  /** 429 RESOURCE_EXHAUSTED with google.rpc.RetryInfo (retryDelay "7s" unless null). */
  | { kind: 'rate_limited'; retryDelay?: string | null }
  | { kind: 'server_error'; status?: 500 | 503 }
  | { kind: 'bad_request'; message?: string }
  /** What Gemini really sends for a wrong key: 400 INVALID_ARGUMENT, ErrorInfo API_KEY_INVALID. */
  | { kind: 'invalid_key'; echoKey?: boolean }
  | { kind: 'unauthorized'; echoKey?: boolean }
  | { kind: 'forbidden'; echoKey?: boolean }
  /** 200 with promptFeedback.blockReason and no candidates. */
  | { kind: 'blocked_prompt'; reason?: string }
  /** 200 with a candidate stopped for a safety reason and no content. */
  | { kind: 'blocked_reply'; finishReason?: string }
  /** Never answers; the connection stays open until the client gives up or close(). */
  | { kind: 'hang' }
  /** Destroys the socket without a response (the client sees a connection reset). */
  | { kind: 'reset' };

export type FakeGeminiStepName = FakeGeminiStep['kind'];

export interface RecordedGeminiRequest {
  method: string;
  path: string;
  /** The model id from the path, e.g. gemini-3.8-flash. */
  model?: string;
  headers: IncomingMessage['headers'];
  apiKey?: string;
  /** The parsed JSON body (contents, systemInstruction, generationConfig…). */
  body: any;
}

export interface FakeGeminiOptions {
  /** When set, any other key gets Gemini's 400 API_KEY_INVALID. */
  apiKey?: string;
  /** Slide count for default decks when the request does not say (schema or prompt). */
  slideCount?: number;
  /** Answer after this long, as a real model takes seconds to write a deck (default 0). */
  latencyMs?: number;
}

export interface FakeGemini {
  /** For httpOptions.baseUrl / GEMINI_BASE_URL, e.g. http://127.0.0.1:40123 (no version). */
  readonly baseUrl: string;
  /** generateContent calls received so far. */
  readonly calls: number;
  readonly requests: readonly RecordedGeminiRequest[];
  readonly lastRequest: RecordedGeminiRequest | undefined;
  /** Queues steps for the next calls, in order; names stand for the step with defaults. */
  script(...steps: (FakeGeminiStep | FakeGeminiStepName)[]): void;
  /** Forgets the script, the requests and the call count. */
  reset(): void;
  close(): Promise<void>;
}

const GENERATE = /^\/(v1|v1beta|v1alpha)\/models\/([^/:]+):generateContent$/;

export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const queue: FakeGeminiStep[] = [];
  const requests: RecordedGeminiRequest[] = [];

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = GENERATE.exec(url.pathname);
    const raw = await readBody(req);
    if (req.method !== 'POST' || !match) {
      return googleError(res, 404, 'NOT_FOUND', `Method or path not found: ${req.method} ${url.pathname}`);
    }
    const apiKey = header(req, 'x-goog-api-key') ?? url.searchParams.get('key') ?? undefined;
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      return googleError(res, 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    }
    requests.push({ method: req.method, path: url.pathname, model: match[2], headers: req.headers, apiKey, body });

    if (!apiKey) {
      return googleError(res, 403, 'PERMISSION_DENIED', "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
    }
    if (options.apiKey !== undefined && apiKey !== options.apiKey) return invalidKey(res, apiKey, false);

    const step = queue.shift() ?? { kind: 'deck' };
    const asked = options.slideCount ?? askedSlideCount(body) ?? 5;
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    respond(res, step, asked, apiKey);
  });
  const sockets = trackSockets(server);
  const port = await listen(server);

  return scriptedFake(`http://127.0.0.1:${port}`, requests, queue, () => closeServer(server, sockets));
}

function respond(res: ServerResponse, step: FakeGeminiStep, asked: number, apiKey: string): void {
  switch (step.kind) {
    case 'deck': {
      const deck = step.deck ?? fakeDeck(step.slideCount ?? asked);
      return candidate(res, JSON.stringify(deck), step.usage);
    }
    case 'text':
      return candidate(res, step.text, step.usage);
    case 'invalid_json':
      return candidate(res, '{"title": "Half a deck", "slides": [{"title": ');
    case 'wrong_count':
      return candidate(res, JSON.stringify(fakeDeck(asked >= 20 ? asked - 1 : asked + 1)));
    case 'rate_limited': {
      const details: object[] = [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
        },
        { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] },
      ];
      const delay = step.retryDelay === undefined ? '7s' : step.retryDelay;
      if (delay !== null) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: delay });
      return googleError(res, 429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.', details);
    }
    case 'server_error':
      return step.status === 503
        ? googleError(res, 503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.')
        : googleError(res, 500, 'INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
    case 'bad_request':
      return googleError(res, 400, 'INVALID_ARGUMENT', step.message ?? 'Request contains an invalid argument.');
    case 'invalid_key':
      return invalidKey(res, apiKey, step.echoKey ?? false);
    case 'unauthorized':
      return googleError(res, 401, 'UNAUTHENTICATED', `Request had invalid authentication credentials${step.echoKey ? ` (key ${apiKey})` : ''}.`);
    case 'forbidden':
      return googleError(res, 403, 'PERMISSION_DENIED', `Your API key was reported as leaked. Please use another API key.${step.echoKey ? ` (${apiKey})` : ''}`);
    case 'blocked_prompt':
      return json(res, 200, {
        promptFeedback: { blockReason: step.reason ?? 'SAFETY', safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }] },
        usageMetadata: { promptTokenCount: FAKE_USAGE.input, totalTokenCount: FAKE_USAGE.input },
        modelVersion: 'fake',
      });
    case 'blocked_reply':
      return json(res, 200, {
        candidates: [{ finishReason: step.finishReason ?? 'SAFETY', index: 0, safetyRatings: [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'HIGH', blocked: true }] }],
        usageMetadata: { promptTokenCount: FAKE_USAGE.input, totalTokenCount: FAKE_USAGE.input },
        modelVersion: 'fake',
      });
    case 'hang':
      return;
    case 'reset':
      res.socket?.destroy();
      return;
  }
}

function candidate(res: ServerResponse, text: string, usage: FakeUsage = FAKE_USAGE): void {
  json(res, 200, {
    candidates: [{ content: { parts: [{ text }], role: 'model' }, finishReason: 'STOP', index: 0 }],
    usageMetadata: {
      promptTokenCount: usage.input,
      candidatesTokenCount: usage.output,
      totalTokenCount: usage.input + usage.output,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.input }],
    },
    modelVersion: 'fake',
    responseId: `fake-${Date.now()}`,
  });
}

function invalidKey(res: ServerResponse, apiKey: string, echoKey: boolean): void {
  googleError(res, 400, 'INVALID_ARGUMENT', `API key not valid. Please pass a valid API key.${echoKey ? ` (got ${apiKey})` : ''}`, [
    { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
    { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
  ]);
}

function googleError(res: ServerResponse, code: number, status: string, message: string, details?: object[]): void {
  json(res, code, { error: { code, message, status, ...(details ? { details } : {}) } });
}

/** What the writer asked for: the schema's slide bounds, else "exactly N slides" in the prompt. */
function askedSlideCount(body: any): number | undefined {
  const config = body?.generationConfig ?? {};
  const schema = config.responseJsonSchema ?? config.responseSchema;
  const fromSchema = Number(schema?.properties?.slides?.minItems);
  if (Number.isInteger(fromSchema) && fromSchema > 0) return fromSchema;
  const text = JSON.stringify(body?.contents ?? []);
  return slideCountInText(text);
}

// ——— shared with fake-openai.server.ts ———

/** A valid deck (meets DECK_LIMITS) with distinct narration per slide. */
export function fakeDeck(slideCount: number, topic = 'the requested topic'): FakeDeck {
  return {
    title: `A short course on ${topic}`.slice(0, 100),
    slides: Array.from({ length: slideCount }, (_, i) => ({
      title: `Part ${i + 1}`,
      bullets: [`Key idea ${i + 1}`, `Example ${i + 1}`],
      narration: `This is slide ${i + 1} of ${slideCount}. Here we look at key idea ${i + 1} and walk through an example.`,
    })),
  };
}

export function slideCountInText(text: string): number | undefined {
  const m = /exactly (\d+) slides/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * The part every scripted fake shares: counts and records calls, queues scripted
 * steps (a bare name stands for the step with defaults), forgets on reset.
 */
export function scriptedFake<Step extends { kind: string }, Recorded>(
  baseUrl: string,
  requests: Recorded[],
  queue: Step[],
  close: () => Promise<void>,
) {
  return {
    baseUrl,
    get calls() {
      return requests.length;
    },
    requests: requests as readonly Recorded[],
    get lastRequest() {
      return requests.at(-1);
    },
    script(...steps: (Step | Step['kind'])[]) {
      queue.push(...steps.map((s) => (typeof s === 'string' ? ({ kind: s } as Step) : s)));
    },
    reset() {
      queue.length = 0;
      requests.length = 0;
    },
    close,
  };
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export function trackSockets(server: Server): Set<import('node:net').Socket> {
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

/** Also ends hanging requests and keep-alive sockets, so tests never wait on them. */
export function closeServer(server: Server, sockets: Set<import('node:net').Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
}
