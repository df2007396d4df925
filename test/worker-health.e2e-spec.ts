import { jsonLines } from './support/log-lines.js';
import { type PipelineHarness, registerUser, startPipeline } from './support/pipeline-harness.js';
import { parseMetrics, sample } from './support/prometheus.js';
import { startTcpGate, type TcpGate } from './support/tcp-gate.js';
import { waitFor } from './support/wait.js';

const SUITE_REDIS = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

/**
 * The worker's own listener (WORKER_HTTP_PORT, a free one here) and what probes see
 * through a Redis outage: api and worker reach Redis through a TCP gate the test cuts.
 */
describe("a worker's health, readiness and metrics", () => {
  let h: PipelineHarness;
  let gate: TcpGate;

  beforeAll(async () => {
    gate = await startTcpGate(SUITE_REDIS.hostname, Number(SUITE_REDIS.port || 6379));
    h = await startPipeline({}, { sharedEnv: { REDIS_URL: gate.through(SUITE_REDIS.toString()), LOG_LEVEL: 'log' } });
  }, 60_000);

  afterAll(async () => {
    await gate?.open(); // the harness cleans the queue keys up through the gate
    await h?.close();
    await gate?.close();
  });

  it('answers liveness, readiness naming every check, and metrics (open without METRICS_TOKEN)', async () => {
    const worker = h.workers[0]!.http;
    expect((await worker.get('/health')).body).toEqual({ status: 'ok' });
    expect((await worker.get('/health/ready')).body).toEqual({
      status: 'ok',
      checks: { database: 'ok', redis: 'ok', storage: 'ok', ffmpeg: 'ok', ffprobe: 'ok', tts: 'ok' },
    });
    const metrics = await worker.get('/metrics');
    expect([metrics.status, metrics.headers.get('content-type')]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8']);
    expect(sample(parseMetrics(metrics.text), 'blinked_queue_jobs', { queue: 'slides', state: 'waiting' })).toBe(0);
    expect((await h.api.http.get('/metrics')).status).toBe(200);
  });

  it('serves nothing else on that port', async () => {
    const worker = h.workers[0]!.http;
    expect((await worker.get('/api/v1/videos')).body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect((await worker.request('POST', '/metrics')).status).toBe(405);
  });

  it('stops a second worker on the same port before it takes any job, in one line', async () => {
    const port = new URL(h.workers[0]!.http.baseUrl).port;
    const second = h.addWorker({ WORKER_HTTP_PORT: port });
    await expect(second).rejects.toThrow(new RegExp(`blinked worker: failed to start: WORKER_HTTP_PORT ${port} is already in use`));
  });

  it('reports not ready while Redis is down, naming it, and ready again once it is back', async () => {
    const worker = h.workers[0]!.http;
    const token = await registerUser(h.api, 'rhea');
    const userId = (await h.api.http.get('/api/v1/auth/me', token)).body.id;
    await gate.cut();
    const down = await waitFor(
      () => worker.get('/health/ready'),
      (r) => r.status === 503,
      20_000,
      'the worker to report not ready',
    );
    expect(down.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Not ready: database ok, redis down, storage ok, ffmpeg ok, ffprobe ok, tts ok',
    });
    expect((await worker.get('/health')).status).toBe(200); // alive all along: restarting it would not bring Redis back

    // Meanwhile the api logs, from inside a request with a body, the request's id and user on its own lines.
    const res = await h.api.http.request('POST', '/api/v1/videos/generate', {
      body: { prompt: 'Lighthouses warn ships away from rocks at night.' },
      token,
      headers: { 'x-request-id': 'during-outage' },
    });
    expect(res.status).toBe(503);
    const warning = jsonLines(h.api.output.toString()).find((l) => String(l.msg).includes('rate limits are not enforced'));
    expect(warning).toMatchObject({ level: 'warn', reqId: 'during-outage', userId });

    await gate.open();
    const up = await waitFor(
      () => worker.get('/health/ready'),
      (r) => r.status === 200,
      30_000,
      'the worker to be ready again',
    );
    expect(up.body.checks.redis).toBe('ok');
    // Said once each way in the worker's log, not at every probe.
    const readiness = jsonLines(h.workers[0]!.output()).filter((l) => l.context === 'Readiness');
    expect(readiness.map((l) => [l.level, String(l.msg).replace(/:.*/, '')])).toEqual([
      ['warn', 'redis is not ready'],
      ['info', 'redis is ready again'],
    ]);
  }, 90_000);
});
