import { JwtService } from '@nestjs/jwt';
import { type ApiHarness, startApi, TEST_SECRET } from './support/api-harness.js';
import { registerUser } from './support/pipeline-harness.js';

const ORIGIN = 'https://app.example';
const SOME_ID = '0b6a3f3e-6c1e-4a5e-9d38-3f0e8f7c2a11';

let h: ApiHarness;
let token: string;
let userId: string;

beforeAll(async () => {
  h = await startApi({ CORS_ORIGINS: `${ORIGIN},https://admin.example` });
  token = await registerUser(h, 'corsica');
  userId = (await h.http.get('/api/v1/auth/me', token)).body.id;
});

afterAll(async () => {
  await h?.close();
});

const list = (header: string | null) => (header ?? '').split(',').map((v) => v.trim().toLowerCase());

describe('CORS', () => {
  const READ_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'range', 'if-none-match'];

  async function preflight(path: string, method: string, origin = ORIGIN) {
    return fetch(h.http.baseUrl + path, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': READ_HEADERS.join(',') },
    });
  }

  it('lets an allowed origin use every method of every operation in the OpenAPI document', async () => {
    const doc = (await h.http.get('/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => ['get', 'head', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => [path.replace('{id}', SOME_ID), m.toUpperCase()] as const),
    );
    expect(operations.map(([, m]) => m)).toEqual(expect.arrayContaining(['PUT', 'DELETE']));
    for (const [path, method] of operations) {
      const res = await preflight(path, method);
      expect({ path, method, status: res.status, origin: res.headers.get('access-control-allow-origin') }).toEqual({
        path,
        method,
        status: 204,
        origin: ORIGIN,
      });
      expect(list(res.headers.get('access-control-allow-methods'))).toContain(method.toLowerCase());
      expect(list(res.headers.get('access-control-allow-headers'))).toEqual(expect.arrayContaining(READ_HEADERS));
    }
  });

  it('gives other origins no permission', async () => {
    const res = await preflight(`/api/v1/videos/${SOME_ID}`, 'DELETE', 'https://evil.example');
    // Without Access-Control-Allow-Origin the browser refuses, whatever else the answer lists.
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('exposes the response headers a client reads', async () => {
    const res = await fetch(`${h.http.baseUrl}/api/v1/auth/me`, { headers: { origin: ORIGIN, authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(list(res.headers.get('access-control-expose-headers'))).toEqual(
      expect.arrayContaining([
        'location',
        'retry-after',
        'ratelimit',
        'ratelimit-limit',
        'ratelimit-remaining',
        'ratelimit-reset',
        'etag',
        'content-range',
      ]),
    );
  });
});

describe('access tokens', () => {
  const jwt = new JwtService({ secret: TEST_SECRET });
  const me = (bearer: string) => h.http.get('/api/v1/auth/me', bearer);

  it('refuses a correctly signed token that has no expiry', async () => {
    const forever = jwt.sign({ sub: userId, role: 'user', typ: 'access' }, { algorithm: 'HS256' });
    expect(JSON.parse(Buffer.from(forever.split('.')[1]!, 'base64url').toString())).not.toHaveProperty('exp');
    const res = await me(forever);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, message: 'Invalid access token' });
    expect((await h.http.get(`/api/v1/videos/${SOME_ID}/file`, forever)).status).toBe(401);
  });

  it('accepts the same claims with an expiry', async () => {
    const good = jwt.sign({ sub: userId, role: 'user', typ: 'access' }, { algorithm: 'HS256', expiresIn: 60 });
    expect((await me(good)).status).toBe(200);
  });
});
