import type { IncomingMessage, ServerResponse } from 'node:http';
import { fakePicture, NOT_AN_IMAGE } from './fake-image.js';
import { header, json, listenLocal, type ScriptedView, scripted, transportFailure, withBody } from './fake-http.js';

/**
 * A fake of the Pexels API on 127.0.0.1: `GET {base}/v1/search?query=&orientation=&per_page=`
 * with the key as the bare `Authorization` header, answering Pexels' search JSON whose
 * `src` addresses point back at this server, which serves them as real JPEGs (as
 * images.pexels.com does, without a key). Each search takes the next scripted step, or
 * the default: one photo. Photo downloads are recorded apart and never consume a step.
 */

export type FakePexelsStep =
  | { kind: 'photos'; id?: number; photographer?: string; format?: 'png' | 'jpeg' }
  /** `photos: []`, total_results 0. */
  | { kind: 'no_results' }
  /** 429 with Pexels' X-Ratelimit-* headers; Retry-After in seconds ("1" unless null). */
  | { kind: 'rate_limited'; retryAfter?: string | null }
  | { kind: 'server_error'; status?: 500 | 502 | 503 }
  /** 401 for a wrong key; echoKey puts the key in the body, as a careless proxy might. */
  | { kind: 'unauthorized'; echoKey?: boolean }
  /** 200 whose body is not JSON (a captive portal, a proxy's page). */
  | { kind: 'garbage' }
  /** A normal search whose photo address serves bytes of no image format. */
  | { kind: 'garbage_photo' }
  /** A normal search whose photo address answers 404. */
  | { kind: 'missing_photo' }
  | { kind: 'hang' }
  | { kind: 'reset' };

export interface RecordedPexelsSearch {
  path: string;
  /** The query string, e.g. {query: 'bee flower', orientation: 'landscape', per_page: '5'}. */
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  /** The Authorization header as sent (Pexels takes the bare key, no "Bearer"). */
  apiKey?: string;
}

export interface RecordedPexelsDownload {
  path: string;
  /** Which `src` size was fetched: landscape, portrait, large… */
  variant: string;
  headers: IncomingMessage['headers'];
}

export interface FakePexelsOptions {
  /** When set, any other Authorization gets 401. */
  apiKey?: string;
}

export interface FakePexels extends ScriptedView<FakePexelsStep, RecordedPexelsSearch> {
  /** For PEXELS_BASE_URL, e.g. http://127.0.0.1:40123 (no /v1). */
  readonly baseUrl: string;
  /** Photo fetches, in order; reset() forgets them with the searches. */
  readonly downloads: readonly RecordedPexelsDownload[];
  close(): Promise<void>;
}

/** Pixel sizes of each `src` variant, scaled down from Pexels' own (landscape 1200×627, portrait 800×1200, large ≤940×650). */
const VARIANTS: Record<string, { width: number; height: number }> = {
  original: { width: 64, height: 48 },
  large2x: { width: 64, height: 44 },
  large: { width: 64, height: 44 },
  medium: { width: 52, height: 35 },
  landscape: { width: 64, height: 33 },
  portrait: { width: 43, height: 64 },
};

type PhotoBehaviour = 'ok' | 'garbage' | 'missing';

export async function startFakePexels(options: FakePexelsOptions = {}): Promise<FakePexels> {
  const calls = scripted<FakePexelsStep, RecordedPexelsSearch>();
  const downloads: RecordedPexelsDownload[] = [];
  const photos = new Map<string, { behaviour: PhotoBehaviour; format: 'png' | 'jpeg' }>();
  let origin = '';
  let nextId = 1_000_001;

  const server = await listenLocal(
    withBody((req, res) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const photo = /^\/photos\/(\d+)\/pexels-photo-\d+\.jpeg$/.exec(url.pathname);
      if (req.method === 'GET' && photo) {
        const variant = url.searchParams.get('variant') ?? 'original';
        downloads.push({ path: url.pathname, variant, headers: req.headers });
        const known = photos.get(photo[1]);
        if (!known || known.behaviour === 'missing' || !VARIANTS[variant]) return notFound(res);
        const body = known.behaviour === 'garbage' ? NOT_AN_IMAGE : fakePicture(VARIANTS[variant].width, VARIANTS[variant].height, known.format);
        // As a CDN does: always "image/jpeg" for a .jpeg address, whatever the bytes are.
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': body.length });
        return void res.end(body);
      }
      if (req.method !== 'GET' || url.pathname !== '/v1/search') return notFound(res);

      const apiKey = header(req, 'authorization');
      calls.record({ path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, apiKey });
      if (!apiKey || (options.apiKey !== undefined && apiKey !== options.apiKey)) return unauthorized(res, apiKey, false);
      const step = calls.next() ?? { kind: 'photos' };
      switch (step.kind) {
        case 'photos':
        case 'garbage_photo':
        case 'missing_photo': {
          const id = String(step.kind === 'photos' && step.id !== undefined ? step.id : nextId++);
          const behaviour: PhotoBehaviour = step.kind === 'garbage_photo' ? 'garbage' : step.kind === 'missing_photo' ? 'missing' : 'ok';
          photos.set(id, { behaviour, format: (step.kind === 'photos' && step.format) || 'jpeg' });
          const photographer = step.kind === 'photos' && step.photographer !== undefined ? step.photographer : 'Jane Doe';
          return searchReply(res, url, [photoJson(origin, id, photographer)]);
        }
        case 'no_results':
          return searchReply(res, url, []);
        case 'rate_limited': {
          const after = step.retryAfter === undefined ? '1' : step.retryAfter;
          const headers: Record<string, string> = {
            'x-ratelimit-limit': '20000',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 86_400),
          };
          if (after !== null) headers['retry-after'] = after;
          return json(res, 429, { error: 'Rate limit exceeded' }, headers);
        }
        case 'server_error':
          return json(res, step.status ?? 500, { error: 'Internal Server Error' });
        case 'unauthorized':
          return unauthorized(res, apiKey, step.echoKey ?? false);
        case 'garbage':
          res.writeHead(200, { 'content-type': 'text/html' });
          return void res.end(NOT_AN_IMAGE);
        case 'hang':
        case 'reset':
          transportFailure(res, step.kind);
      }
    }),
  );
  origin = server.origin;

  const fake = calls.expose({ baseUrl: server.origin, downloads, close: server.close });
  const forgetCalls = fake.reset;
  // reset() forgets the downloads too, so each test counts only its own.
  fake.reset = () => {
    forgetCalls();
    downloads.length = 0;
  };
  return fake;
}

function photoJson(origin: string, id: string, photographer: string): object {
  const base = `${origin}/photos/${id}/pexels-photo-${id}.jpeg`;
  const src = Object.fromEntries(Object.keys(VARIANTS).map((v) => [v, `${base}?auto=compress&cs=tinysrgb&variant=${v}`]));
  return {
    id: Number(id),
    width: 4000,
    height: 3000,
    url: `https://www.pexels.com/photo/${id}/`,
    photographer,
    photographer_url: 'https://www.pexels.com/@jane-doe',
    photographer_id: 42,
    avg_color: '#7EC8E3',
    src,
    liked: false,
    alt: 'A sunny hill under a blue sky',
  };
}

function searchReply(res: ServerResponse, url: URL, photos: object[]): void {
  json(
    res,
    200,
    { total_results: photos.length, page: 1, per_page: Number(url.searchParams.get('per_page') ?? 15), photos },
    { 'x-ratelimit-limit': '20000', 'x-ratelimit-remaining': '19999', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 86_400) },
  );
}

function unauthorized(res: ServerResponse, apiKey: string | undefined, echoKey: boolean): void {
  json(res, 401, { error: `Unauthorized${echoKey && apiKey ? `: invalid key ${apiKey}` : ''}` });
}

function notFound(res: ServerResponse): void {
  json(res, 404, { error: 'Not Found' });
}
