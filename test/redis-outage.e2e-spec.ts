import { type ApiHarness, startApi } from './support/api-harness.js';
import { registerUser } from './support/pipeline-harness.js';

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
