import { logLevels } from '@app/config';
import { setTimeout as delay } from 'node:timers/promises';
import { type ApiHarness, startApi } from './support/api-harness.js';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';
import { startTcpGate, type TcpGate } from './support/tcp-gate.js';
import { waitFor } from './support/wait.js';

// Read before the first api below points REDIS_URL at a closed port (startApi writes process.env).
const SUITE_REDIS = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

/** With Redis down, the api answers at once and keeps nothing half-made (no offline queue, no hang). */
describe('a Redis outage', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    h = await startApi({ REDIS_URL: 'redis://127.0.0.1:1' }); // nothing listens there
  }, 60_000);

  afterAll(() => h?.close());

  it('makes generate answer 503 quickly, leaving no video behind', async () => {
    const token = await registerUser(h, 'dora');
    const started = Date.now();
    const res = await h.http.post('/api/v1/videos/generate', { prompt: 'Rivers carve canyons over millions of years.' }, token);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      message: expect.stringMatching(/queue is unavailable.*nothing was queued/),
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await h.http.get('/api/v1/videos', token)).body).toMatchObject({ items: [], total: 0 });
  });

  it('reports not ready, naming Redis', async () => {
    const res = await h.http.get('/health/ready');
    expect(res.status).toBe(503);
    expect(res.body.message).toMatch(/redis down/);
    expect(res.body.message).toMatch(/database ok/);
  });

  it('keeps serving what needs no queue', async () => {
    expect((await h.http.get('/health')).status).toBe(200);
    expect((await h.http.post('/api/v1/auth/login', { email: 'dora@example.com', password: 'correct horse battery' })).status).toBe(200);
  });
});

/**
 * Redis going away and coming back under a running api (a TCP gate in front of the
 * real server). On main the api kept answering 503 for 18 s after a 40 s outage
 * (BullMQ's reconnect waits grow to 20 s) and printed "[ioredis] Unhandled error
 * event" for every reconnect attempt of a connection without an error listener.
 */
describe('Redis down for a while, then back', () => {
  let h: ApiHarness;
  let gate: TcpGate;
  const printed: string[] = [];
  const originalError = console.error;

  beforeAll(async () => {
    const redis = SUITE_REDIS;
    gate = await startTcpGate(redis.hostname, Number(redis.port || 6379));
    console.error = (...args: unknown[]) => printed.push(args.map(String).join(' '));
    h = await startApi({ REDIS_URL: gate.through(redis.toString()) });
    // Captured at level log, as production logs: the line saying Redis is back is not a warning.
    h.app.useLogger(h.output.logger(logLevels('log')));
  }, 60_000);

  afterAll(async () => {
    console.error = originalError;
    await h?.close();
    await gate?.close();
  });

  it('answers again within 2 s of Redis coming back, printing no unhandled error events', async () => {
    const token = await registerUser(h, 'rita');
    const generate = () => h.http.post('/api/v1/videos/generate', { prompt: 'Clouds form when air cools.' }, token).then((r) => r.status);
    expect(await generate()).toBe(202);

    await gate.cut();
    await waitFor(generate, (s) => s === 503, 10_000, 'generate to answer 503');
    // Long enough for BullMQ's own reconnect waits to have grown past several seconds.
    await delay(12_000);
    await gate.open();
    const back = Date.now();
    await waitFor(generate, (s) => s === 202, 20_000, 'generate to work again');
    expect(Date.now() - back).toBeLessThan(2000);
    expect(printed.filter((line) => line.includes('Unhandled error event'))).toEqual([]);
    // One line when it went away and one when it came back, not one per reconnect attempt.
    await waitFor(
      () => Promise.resolve(h.output.toString()),
      (out) => /Redis is back/.test(out),
      5000,
      'the api to say Redis is back',
    );
    const log = h.output.toString();
    expect(log.match(/Redis unreachable/g)).toHaveLength(1);
    expect(log.match(/Redis is back/g)).toHaveLength(1);
  }, 60_000);
});

/** On main a worker sent SIGTERM while Redis was down was still alive 145 s later. */
describe('a worker stopped while Redis is down', () => {
  let h: PipelineHarness;
  let gate: TcpGate;

  beforeAll(async () => {
    const redis = SUITE_REDIS;
    gate = await startTcpGate(redis.hostname, Number(redis.port || 6379));
    // The api straight to Redis, the worker through the gate.
    h = await startPipeline(
      { REDIS_URL: gate.through(redis.toString()), WORKER_SHUTDOWN_GRACE_MS: '3000' },
      { sharedEnv: { REDIS_URL: redis.toString() } },
    );
  }, 60_000);

  afterAll(async () => {
    await gate?.open(); // the harness cleans the queue keys up through the worker's REDIS_URL
    await h?.close();
    await gate?.close();
  });

  it('exits within its shutdown grace, and says so in one line when it had to force it', async () => {
    const worker = h.workers[0]!;
    // A video first: the worker is connected and working, as in production, when Redis goes.
    const token = await registerUser(h.api, 'wanda');
    const res = await h.api.http.post('/api/v1/videos/generate', { prompt: 'Owls hunt at night. Their feathers are silent.', slideCount: 3 }, token);
    expect((await waitForVideo(h.api, token, res.body.id, 60_000)).video.status).toBe('completed');
    await gate.cut();
    const exited = new Promise<number | string>((resolve) => worker.child.once('exit', (code, signal) => resolve(code ?? String(signal))));
    const sent = Date.now();
    worker.child.kill('SIGTERM');
    const code = await Promise.race([exited, delay(20_000).then(() => 'still running after 20 s')]);
    expect(Date.now() - sent).toBeLessThan(3000 + 5000);
    // Whether closing the queues hangs on the dead connection depends on where each one was
    // when Redis went: either the close ends by itself (Nest then re-raises the SIGTERM) or
    // the grace forces it (exit 1, with one line saying so). Never still running.
    const forced = /running jobs did not finish within WORKER_SHUTDOWN_GRACE_MS \(3000 ms\); forcing the queues closed and exiting/;
    if (code === 1) expect(worker.output()).toMatch(forced);
    else expect([code, forced.test(worker.output())]).toEqual(['SIGTERM', false]);
  }, 60_000);
});
