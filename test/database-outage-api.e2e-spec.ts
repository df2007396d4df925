import { setTimeout as delay } from 'node:timers/promises';
import { type ApiHarness, startApi } from './support/api-harness.js';
import { registerUser } from './support/pipeline-harness.js';
import { openEvents } from './support/sse.js';
import { TEST_DB_BASE } from './support/test-db.js';
import { startTcpGate, type TcpGate } from './support/tcp-gate.js';
import { waitFor } from './support/wait.js';

const pg = new URL(TEST_DB_BASE);

/**
 * The api while PostgreSQL restarts (a TCP gate between the api and the database).
 * On main a valid token got 401 "Invalid access token" (a client would sign its user
 * out) and an open event stream said `deleted` for a video that still existed.
 */
describe('the api during a PostgreSQL outage', () => {
  let h: ApiHarness;
  let gate: TcpGate;
  const originalWarn = console.warn;
  const warned: string[] = [];

  beforeAll(async () => {
    gate = await startTcpGate(pg.hostname, Number(pg.port || 5432));
    h = await startApi({}, { databaseUrl: (url) => gate.through(url) });
    // TypeORM's pool says "Postgres pool raised an error" for every connection the gate cuts: expected here.
    console.warn = (...args: unknown[]) => warned.push(args.map(String).join(' '));
  }, 60_000);

  afterAll(async () => {
    console.warn = originalWarn;
    await gate?.open();
    await h?.close();
    await gate?.close();
  });

  it('answers 503 with Retry-After to a valid token, keeps event streams open, and ends them with the terminal event', async () => {
    const token = await registerUser(h, 'pia');
    const created = await h.http.post('/api/v1/videos/generate', { prompt: 'Bees dance to share where flowers are.' }, token);
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    const events = await openEvents(`${h.http.baseUrl}/api/v1/videos/${id}/events`, token);
    expect(events.status).toBe(200);
    await waitFor(
      async () => events.text,
      (t) => t.includes('event: progress'),
      10_000,
      'the first progress event',
    );

    await gate.cut();
    for (const path of ['/api/v1/auth/me', `/api/v1/videos/${id}`, '/api/v1/videos']) {
      const res = await h.http.get(path, token);
      expect({ path, status: res.status }).toEqual({ path, status: 503 });
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', message: expect.stringMatching(/database is unavailable/) });
    }
    // The outage itself (a duration, not a synchronisation): the stream polls every 500 ms, so several reads fail.
    await delay(2000);
    expect(events.ended).toBe(false);
    await gate.open();

    await waitFor(
      () => h.http.get('/api/v1/auth/me', token).then((r) => r.status),
      (s) => s === 200,
      10_000,
      'the api to reach the database again',
    );
    await h.db.query(`UPDATE videos SET status = 'failed', error = 'stopped by the test', stage = 'Failed', updated_at = now() WHERE id = $1`, [id]);
    await waitFor(
      async () => events.ended,
      (ended) => ended,
      10_000,
      'the stream to end',
    );
    expect(events.text).not.toContain('event: deleted');
    expect(events.last()).toMatch(/^event: progress\ndata: .*"status":"failed"/);
  }, 60_000);
});
