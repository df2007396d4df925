import { type FuzzRequest, type OpenApiDoc, OpenApiFuzzer } from './support/openapi-fuzz.js';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';

/**
 * Every operation of the OpenAPI document the api serves, every declared field,
 * parameter and header, hostile values of every kind, signed in and not: the
 * api may refuse anything, but never with a 5xx. A completed video (made by a
 * real worker, then stopped) makes the media routes serve real files, so Range
 * abuse reaches the code that parses it. FUZZ_REPORT=1 prints the figures.
 */
let h: PipelineHarness;
let token: string;
let videoId: string;
const CONCURRENCY = 4;
const TIMEOUT_MS = 15_000;

beforeAll(async () => {
  h = await startPipeline();
  token = await registerUser(h.api, 'fuzzy');
  const res = await h.api.http.post('/api/v1/videos/generate', { prompt: 'Owls hunt at night. Their ears are offset.', slideCount: 3 }, token);
  expect(res.status).toBe(202);
  videoId = res.body.id;
  expect((await waitForVideo(h.api, token, videoId)).video.status).toBe('completed');
  // Videos the fuzz happens to create stay queued: nothing competes with the api for the cores.
  await Promise.all(h.workers.map((w) => w.stop()));
}, 150_000);

afterAll(async () => {
  await h?.close();
});

interface Outcome {
  request: FuzzRequest;
  status: number | 'error';
  detail?: string;
}

async function send(request: FuzzRequest): Promise<Outcome> {
  const headers = { ...request.headers };
  if (request.auth && !('authorization' in headers)) headers.authorization = `Bearer ${token}`;
  try {
    const res = await fetch(h.api.http.baseUrl + request.path, {
      method: request.method,
      headers,
      body: request.body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    return { request, status: res.status, detail: res.status >= 500 ? text.slice(0, 300) : undefined };
  } catch (e) {
    return { request, status: 'error', detail: e instanceof Error ? `${e.name}: ${e.message} ${String(e.cause ?? '')}` : String(e) };
  }
}

async function runAll(requests: FuzzRequest[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) outcomes.push(await send(requests[next++]!));
    }),
  );
  return outcomes;
}

function describeRequest({ request, status, detail }: Outcome): string {
  const clip = (v: string | Buffer | undefined) =>
    v === undefined
      ? ''
      : Buffer.isBuffer(v)
        ? `<${v.length} bytes>`
        : v.length > 200
          ? `${JSON.stringify(v.slice(0, 200))}… (${v.length} chars)`
          : JSON.stringify(v);
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, v.length > 80 ? `${v.slice(0, 80)}… (${v.length})` : v]));
  return `${status} ← ${request.label}: ${request.method} ${clip(request.path)} headers=${JSON.stringify(headers)} body=${clip(request.body)} → ${detail ?? ''}`;
}

it('answers no hostile request with a 5xx', async () => {
  const doc = (await h.api.http.get('/docs-json')).body as OpenApiDoc;
  const generated = new OpenApiFuzzer(doc, { id: videoId }).requests();
  // Deletions last, so every other request meets the video still there.
  const requests = [...generated.filter((r) => r.method !== 'DELETE'), ...generated.filter((r) => r.method === 'DELETE')];
  const operations = new Set(requests.map((r) => `${r.method} ${r.label.split(' ')[1]}`));
  expect(operations.size).toBeGreaterThanOrEqual(16);
  expect(requests.length).toBeGreaterThanOrEqual(1500);

  const started = Date.now();
  const nonDelete = requests.filter((r) => r.method !== 'DELETE');
  const outcomes = [...(await runAll(nonDelete)), ...(await runAll(requests.slice(nonDelete.length)))];
  const seconds = (Date.now() - started) / 1000;

  const histogram: Record<string, number> = {};
  for (const o of outcomes) histogram[o.status] = (histogram[o.status] ?? 0) + 1;
  const failures = outcomes.filter((o) => o.status === 'error' || o.status >= 500).map(describeRequest);
  if (process.env.FUZZ_REPORT) {
    process.stdout.write(
      `fuzz: ${outcomes.length} requests over ${operations.size} operations in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(histogram)}\n`,
    );
  }
  expect(outcomes).toHaveLength(requests.length);
  expect(failures).toEqual([]);
  // The api is still whole afterwards.
  expect((await h.api.http.get('/health/ready')).status).toBe(200);
  expect((await h.api.http.get('/api/v1/auth/me', token)).status).toBe(200);
}, 120_000);
