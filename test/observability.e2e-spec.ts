import { ALL_QUEUES } from '@app/jobs';
import { TEST_SECRET } from './support/api-harness.js';
import { Chromium } from './support/chromium.js';
import { jsonLines } from './support/log-lines.js';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';
import { parseMetrics, sample, type Sample } from './support/prometheus.js';
import { waitFor } from './support/wait.js';

/**
 * Issue 11, what operators see: one video through api and worker, then their
 * /metrics, their JSON logs (request id, user, job context, no secrets), and the
 * api's security headers, with Swagger UI rendering under the CSP in Chromium.
 * Readiness across a Redis outage: worker-health.e2e-spec.ts.
 */
const METRICS_TOKEN = 'scrape-token-0123456789';
const REQUEST_ID = 'obs-trace-0af7651916cd43dd';

let h: PipelineHarness;
let token: string;
let userId: string;
let videoId: string;

const scrape = (http: PipelineHarness['api']['http']) =>
  http.request('GET', '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then((r) => {
    expect(r.status).toBe(200);
    return parseMetrics(r.text);
  });

beforeAll(async () => {
  // LOG_LEVEL log for both, as production runs: the request lines are info.
  h = await startPipeline({}, { sharedEnv: { METRICS_TOKEN, LOG_LEVEL: 'log', TRUST_PROXY: 'true' } });
  token = await registerUser(h.api, 'olga');
  userId = (await h.api.http.get('/api/v1/auth/me', token)).body.id;
  const res = await h.api.http.request('POST', '/api/v1/videos/generate', {
    body: { prompt: 'Bees dance to tell the hive where flowers are. The angle points the way.', slideCount: 3 },
    token,
    headers: { 'x-request-id': REQUEST_ID },
  });
  expect(res.status).toBe(202);
  expect(res.headers.get('x-request-id')).toBe(REQUEST_ID);
  videoId = res.body.id;
  expect((await waitForVideo(h.api, token, videoId, 90_000)).video.status).toBe('completed');
}, 120_000);

afterAll(() => h?.close());

describe('metrics', () => {
  it('wants the METRICS_TOKEN as a bearer, on the api and on the worker', async () => {
    for (const http of [h.api.http, h.workers[0]!.http]) {
      const anonymous = await http.get('/metrics');
      expect([anonymous.status, anonymous.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="metrics"']);
      expect(anonymous.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect((await http.get('/metrics', 'not-the-token')).status).toBe(401);
    }
  });

  it('shows on the worker what the video took: stages, provider calls, cache, stitch speed, queues', async () => {
    // The video says completed from inside the stitch job, a moment before that job returns.
    const m = await waitFor(
      () => scrape(h.workers[0]!.http),
      (s) =>
        sample(s, 'blinked_stage_duration_seconds_count', { stage: 'stitch' }) === 1 &&
        sample(s, 'blinked_queue_jobs', { queue: 'stitch', state: 'active' }) === 0,
      10_000,
      'the stitch job to return',
    );
    const count = (name: string, labels: Record<string, string> = {}) => sample(m, name, labels);
    expect(count('blinked_stage_duration_seconds_count', { stage: 'deck' })).toBe(1);
    expect(count('blinked_stage_duration_seconds_count', { stage: 'voice' })).toBe(3);
    expect(count('blinked_stage_duration_seconds_count', { stage: 'stitch' })).toBe(1);
    expect(count('blinked_videos_finished_total', { status: 'completed' })).toBe(1);
    expect(count('blinked_videos_finished_total', { status: 'failed' })).toBe(0);
    expect(count('blinked_video_end_to_end_seconds_count')).toBe(1);
    expect(count('blinked_provider_calls_total', { kind: 'llm', provider: 'offline', outcome: 'ok' })).toBe(1);
    expect(count('blinked_provider_calls_total', { kind: 'tts', provider: 'espeak', outcome: 'ok' })).toBe(3);
    expect(count('blinked_provider_call_duration_seconds_count', { kind: 'tts', provider: 'espeak' })).toBe(3);
    expect(count('blinked_tts_characters_total', { provider: 'espeak' })).toBeGreaterThan(20);
    expect(count('blinked_llm_tokens_total', { provider: 'offline', direction: 'output' })).toBeGreaterThanOrEqual(0);
    expect(count('blinked_generation_cache_lookups_total', { kind: 'deck', result: 'miss' })).toBe(1);
    expect(count('blinked_generation_cache_lookups_total', { kind: 'audio', result: 'miss' })).toBe(3);
    expect(count('blinked_stitch_realtime_factor_count')).toBe(1);
    expect(count('blinked_stitch_realtime_factor_sum')).toBeGreaterThan(1); // faster than real time, even on a busy machine
    expect(count('blinked_webhook_deliveries_total', { outcome: 'delivered' })).toBe(0);
    expect(count('process_cpu_seconds_total')).toBeGreaterThan(0);
    // Every queue, in every state, nothing left waiting once the video is done.
    for (const queue of ALL_QUEUES) {
      for (const state of ['waiting', 'active', 'delayed', 'failed'])
        expect([queue, state, count('blinked_queue_jobs', { queue, state })]).toEqual([queue, state, 0]);
    }
  });

  it('shows on the api its requests by route template and status', async () => {
    const m: Sample[] = await scrape(h.api.http);
    expect(sample(m, 'blinked_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/videos/generate', status_code: '202' })).toBe(1);
    expect(sample(m, 'blinked_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/videos/:id', status_code: '200' })).toBeGreaterThan(
      0,
    );
    expect(m.some((s) => s.labels.route?.includes(videoId))).toBe(false); // templates, never ids
    expect(sample(m, 'blinked_videos_finished_total', { status: 'cancelled' })).toBe(0);
  });

  it('is not part of the API document', async () => {
    const doc = (await h.api.http.get('/docs-json')).body;
    expect(Object.keys(doc.paths).filter((p) => p.includes('metrics'))).toEqual([]);
  });
});

describe('logs', () => {
  it('has the api write one JSON line per request, with the request id it was given and the user', async () => {
    const lines = jsonLines(h.api.output.toString()).filter((l) => l.msg === 'request completed');
    const generate = lines.filter((l) => l.reqId === REQUEST_ID);
    expect(generate).toEqual([
      expect.objectContaining({
        level: 'info',
        app: 'api',
        userId,
        method: 'POST',
        route: '/api/v1/videos/generate',
        path: '/api/v1/videos/generate',
        statusCode: 202,
        responseTimeMs: expect.any(Number),
      }),
    ]);
    // Others got an id made for them, each its own.
    const others = lines.filter((l) => l.reqId !== REQUEST_ID).map((l) => l.reqId);
    expect(others.length).toBeGreaterThan(1);
    expect(new Set(others).size).toBe(others.length);
  });

  it('returns a made request id, and replaces one that is not printable or too long', async () => {
    const made = await h.api.http.get('/health');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const long = await h.api.http.request('GET', '/api/v1/auth/me', { headers: { 'x-request-id': 'x'.repeat(201) }, token });
    expect(long.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // Errors carry it too, also the ones the router answers before any route.
    const notFound = await h.api.http.request('GET', '/api/v1/nothing-here', { headers: { 'x-request-id': 'err-1' } });
    expect([notFound.status, notFound.headers.get('x-request-id')]).toEqual([404, 'err-1']);
    const badUrl = await h.api.http.request('GET', '/api/v1/videos/%zz', { headers: { 'x-request-id': 'err-2' } });
    expect([badUrl.status, badUrl.headers.get('x-request-id')]).toEqual([400, 'err-2']);
  });

  it('has the worker name the queue, job, attempt and video on every line logged while a job runs', async () => {
    // The stitch stage says "completed" just after the video row does.
    const lines = await waitFor(
      async () => jsonLines(h.workers[0]!.output()).filter((l) => l.videoId === videoId),
      (found) => found.some((l) => l.context === 'StitchStage'),
      10_000,
      'the stitch stage to log',
    );
    const deck = lines.find((l) => String(l.msg).includes('deck of 3 slides'));
    expect(deck).toMatchObject({ app: 'worker', queue: 'slides', jobId: `slides-${videoId}`, attempt: 1, context: 'DeckStage' });
    const done = lines.find((l) => l.context === 'StitchStage');
    expect(done).toMatchObject({ queue: 'stitch', jobId: `stitch-${videoId}`, attempt: 1 });
    // Lines outside any job (start-up) carry none of it.
    expect(jsonLines(h.workers[0]!.output()).find((l) => String(l.msg).includes('started'))).not.toHaveProperty('jobId');
  });

  it('never prints a secret, even one a client sends back as its request id', async () => {
    const echoed = await h.api.http.request('GET', '/api/v1/auth/me', { headers: { 'x-request-id': TEST_SECRET }, token });
    expect(echoed.status).toBe(200);
    const api = h.api.output.toString();
    expect(api).toContain('"reqId":"[redacted]"');
    for (const secret of [TEST_SECRET, METRICS_TOKEN]) {
      expect(api).not.toContain(secret);
      expect(h.workers[0]!.output()).not.toContain(secret);
    }
    expect(api).not.toContain(token); // a bearer token is no configured secret, but is never logged either
  });
});

describe('security headers', () => {
  it("sets helmet's headers on answers, errors included", async () => {
    for (const res of [await h.api.http.get('/health'), await h.api.http.get('/api/v1/videos')]) {
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      // Media is embedded from other origins (<video src> with a signed link).
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    }
  });

  it('sends HSTS and upgrade-insecure-requests only for requests that came over TLS, as the trusted proxy says', async () => {
    const plain = await h.api.http.get('/health');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    expect(plain.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    const tls = await h.api.http.request('GET', '/health', { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(tls.headers.get('content-security-policy')).toMatch(/script-src 'self'.*;upgrade-insecure-requests$/);
  });

  it('still lets Swagger UI render under the Content-Security-Policy, in Chromium', async () => {
    // By a name that is not loopback, as a browser on another machine reaches it: Chromium
    // exempts 127.0.0.1 from upgrade-insecure-requests, and plain HTTP elsewhere is not.
    const chromium = await Chromium.launch(['--host-resolver-rules=MAP api.blinked.test 127.0.0.1']);
    try {
      // Recorded from the first script on, before Swagger UI's own.
      await chromium.send('Page.addScriptToEvaluateOnNewDocument', {
        source: `window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`,
      });
      await chromium.open(`${h.api.http.baseUrl.replace('127.0.0.1', 'api.blinked.test')}/docs`);
      const rendered = await chromium.evaluate<{ title: string; operations: number; violations: string[] }>(`
        new Promise((resolve, reject) => {
          const started = Date.now();
          const look = () => {
            const title = document.querySelector('.swagger-ui .info .title');
            const operations = document.querySelectorAll('.swagger-ui .opblock').length;
            if (title && operations) return resolve({ title: title.textContent, operations, violations: window.__csp });
            if (Date.now() - started > 20000) return reject(new Error('Swagger UI did not render: ' + document.body.innerText.slice(0, 300) + ' ' + JSON.stringify(window.__csp)));
            setTimeout(look, 100);
          };
          look();
        })`);
      expect(rendered.title).toContain('BlinkEd API');
      expect(rendered.operations).toBeGreaterThan(10);
      expect(rendered.violations).toEqual([]);
    } finally {
      await chromium.close();
    }
  }, 60_000);
});
