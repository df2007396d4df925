import { readFileSync } from 'node:fs';
import { JwtService } from '@nestjs/jwt';
import { type ApiHarness, startApi, TEST_SECRET } from './support/api-harness.js';

let h: ApiHarness;
let seq = 0;

beforeAll(async () => {
  h = await startApi();
});

afterAll(async () => {
  await h?.close();
});

function newUser(overrides: Record<string, string> = {}) {
  seq += 1;
  return { email: `user${seq}@example.com`, username: `user${seq}`, password: 'correct horse battery', ...overrides };
}

async function register(overrides: Record<string, string> = {}) {
  const body = newUser(overrides);
  const res = await h.http.post('/api/v1/auth/register', body);
  expect(res.status).toBe(201);
  return { ...body, ...res.body };
}

function expectError(res: { status: number; body: any }, status: number, message?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual(expect.objectContaining({ statusCode: status, error: expect.any(String), message: expect.any(String) }));
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(js|ts):\d+/); // never a stack trace
  if (message) expect(res.body.message).toMatch(message);
}

describe('POST /auth/register', () => {
  it('creates the user and signs in', async () => {
    const input = newUser({ email: 'Mixed.Case@Example.com' });
    const res = await h.http.post('/api/v1/auth/register', input);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      user: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: 'mixed.case@example.com',
        username: input.username,
        avatarUrl: null,
        role: 'user',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 15 * 60,
    });
    expect(res.text).not.toContain('$2b$');
    const [row] = await h.db.query('SELECT password_hash FROM users WHERE id = $1', [res.body.user.id]);
    expect(row.password_hash).toMatch(/^\$2b\$04\$/); // bcrypt, at the configured cost
  });

  it('answers 409 for a taken email, whatever its case', async () => {
    const u = await register();
    const res = await h.http.post('/api/v1/auth/register', newUser({ email: u.email.toUpperCase() }));
    expectError(res, 409, /email already exists/);
  });

  it('answers 409 for a taken username, whatever its case', async () => {
    const u = await register();
    const res = await h.http.post('/api/v1/auth/register', newUser({ username: u.username.toUpperCase() }));
    expectError(res, 409, /username is taken/);
  });

  it('lets only one of two racing registrations of the same email through', async () => {
    const body = newUser();
    const results = await Promise.all([
      h.http.post('/api/v1/auth/register', body),
      h.http.post('/api/v1/auth/register', { ...body, username: `${body.username}x` }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it.each([
    ['a 7-byte password', { password: '1234567' }, /password must be between 8 and 72 bytes/],
    ['a 73-byte password', { password: 'x'.repeat(73) }, /password must be between 8 and 72 bytes/],
    ['a password of 37 two-byte characters (74 bytes)', { password: 'é'.repeat(37) }, /72 bytes/],
    ['an invalid email', { email: 'not-an-email' }, /email must be a valid email address/],
    ['a short username', { username: 'ab' }, /username must be 3 to 32/],
    ['a username with spaces', { username: 'ada lovelace' }, /username must be 3 to 32/],
    ['an unknown field', { isAdmin: 'true' }, /property isAdmin should not exist/],
  ])('refuses %s with 400 naming the field', async (_, overrides, message) => {
    expectError(await h.http.post('/api/v1/auth/register', newUser(overrides as Record<string, string>)), 400, message);
  });

  it('accepts a 72-byte password', async () => {
    const res = await h.http.post('/api/v1/auth/register', newUser({ password: 'é'.repeat(36) }));
    expect(res.status).toBe(201);
  });

  it('lists every missing field', async () => {
    const res = await h.http.post('/api/v1/auth/register', {});
    expectError(res, 400);
    expect(res.body.message).toMatch(/email/);
    expect(res.body.message).toMatch(/username/);
    expect(res.body.message).toMatch(/password/);
    expect(res.body.details.length).toBeGreaterThanOrEqual(3);
  });

  it('answers 400 for malformed JSON', async () => {
    expectError(await h.http.request('POST', '/api/v1/auth/register', { raw: '{"email": ' }), 400, /JSON/);
  });

  it('answers 400 for a body that is not an object', async () => {
    expectError(await h.http.request('POST', '/api/v1/auth/register', { raw: '"just a string"' }), 400);
  });

  it('answers 413 for an oversized body', async () => {
    const raw = JSON.stringify({ ...newUser(), username: 'x'.repeat(2 * 1024 * 1024) });
    expectError(await h.http.request('POST', '/api/v1/auth/register', { raw }), 413, /too large/);
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await h.http.request('POST', '/api/v1/auth/register', {
      raw: 'email=a',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectError(res, 415, /application\/json/);
  });
});

describe('POST /auth/login', () => {
  it('signs in with the right password, whatever the email case', async () => {
    const u = await register();
    const res = await h.http.post('/api/v1/auth/login', { email: u.email.toUpperCase(), password: u.password });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(u.user.id);
    expect(res.body.tokenType).toBe('Bearer');
    expect(res.text).not.toContain('$2b$');
  });

  it('gives the same 401 for an unknown email and a wrong password', async () => {
    const u = await register();
    const wrong = await h.http.post('/api/v1/auth/login', { email: u.email, password: 'wrong password' });
    const unknown = await h.http.post('/api/v1/auth/login', { email: 'nobody@example.com', password: 'wrong password' });
    expectError(wrong, 401, /Invalid email or password/);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('refuses a body without a password', async () => {
    expectError(await h.http.post('/api/v1/auth/login', { email: 'a@b.c' }), 400, /password/);
  });
});

describe('GET /auth/me', () => {
  it('returns the user, never the hash', async () => {
    const u = await register();
    const res = await h.http.get('/api/v1/auth/me', u.accessToken);
    expect(res.status).toBe(200);
    // With the caller's usage and limits (the harness's generous defaults).
    expect(res.body).toEqual({
      ...u.user,
      usage: { videosInProgress: 0, videosToday: 0 },
      limits: { concurrentVideos: 1000, dailyVideos: 100000, requestsPerMinute: 100000 },
    });
    expect(res.text).not.toMatch(/password|\$2b\$/);
  });

  it('answers 401 without a token', async () => {
    expectError(await h.http.get('/api/v1/auth/me'), 401, /Missing bearer token/);
  });

  it('answers 401 for an expired token', async () => {
    const u = await register();
    const expired = new JwtService({ secret: TEST_SECRET }).sign(
      { sub: u.user.id, role: 'user', typ: 'access', iat: Math.floor(Date.now() / 1000) - 3600 },
      { expiresIn: 60, algorithm: 'HS256' },
    );
    expectError(await h.http.get('/api/v1/auth/me', expired), 401, /expired/);
  });

  it('answers 401 for a tampered token', async () => {
    const u = await register();
    const other = await register();
    const [header, , signature] = u.accessToken.split('.');
    const [, otherPayload] = other.accessToken.split('.');
    expectError(await h.http.get('/api/v1/auth/me', `${header}.${otherPayload}.${signature}`), 401, /Invalid access token/);
  });

  it('answers 401 for a token signed with another secret', async () => {
    const u = await register();
    const forged = new JwtService({ secret: 'another-secret-of-sufficient-length-000000' }).sign(
      { sub: u.user.id, role: 'admin', typ: 'access' },
      { expiresIn: 600, algorithm: 'HS256' },
    );
    expectError(await h.http.get('/api/v1/auth/me', forged), 401, /Invalid access token/);
  });

  it('answers 401 for an unsigned token (alg: none)', async () => {
    const u = await register();
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: u.user.id, role: 'user', typ: 'access', iat: now, exp: now + 600 })}.`;
    expectError(await h.http.get('/api/v1/auth/me', unsigned), 401, /Invalid access token/);
  });

  it('answers 401 when a refresh token is used as an access token', async () => {
    const u = await register();
    expectError(await h.http.get('/api/v1/auth/me', u.refreshToken), 401);
  });

  it('answers 401 once the account is gone', async () => {
    const u = await register();
    await h.db.query('DELETE FROM users WHERE id = $1', [u.user.id]);
    expectError(await h.http.get('/api/v1/auth/me', u.accessToken), 401);
  });
});

describe('POST /auth/refresh', () => {
  it('rotates: a new pair, and the new access token works', async () => {
    const u = await register();
    const res = await h.http.post('/api/v1/auth/refresh', { refreshToken: u.refreshToken });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
    expect(res.body.refreshToken).not.toBe(u.refreshToken);
    expect((await h.http.get('/api/v1/auth/me', res.body.accessToken)).status).toBe(200);
    const stored = await h.db.query('SELECT token_hash FROM refresh_tokens WHERE user_id = $1', [u.user.id]);
    expect(stored).toHaveLength(2);
    for (const row of stored) expect(u.refreshToken + res.body.refreshToken).not.toContain(row.token_hash);
  });

  it('detects reuse: the second use of a token revokes the whole family', async () => {
    const u = await register();
    const first = await h.http.post('/api/v1/auth/refresh', { refreshToken: u.refreshToken });
    expect(first.status).toBe(200);
    const replay = await h.http.post('/api/v1/auth/refresh', { refreshToken: u.refreshToken });
    expectError(replay, 401, /already used/);
    // The thief's copy is dead, and so is the legitimate successor.
    expectError(await h.http.post('/api/v1/auth/refresh', { refreshToken: first.body.refreshToken }), 401);
    // A separate sign-in (another family) is untouched.
    const other = await h.http.post('/api/v1/auth/login', { email: u.email, password: u.password });
    expect((await h.http.post('/api/v1/auth/refresh', { refreshToken: other.body.refreshToken })).status).toBe(200);
  });

  it('lets only one of two concurrent uses of a token succeed', async () => {
    const u = await register();
    const results = await Promise.all([1, 2].map(() => h.http.post('/api/v1/auth/refresh', { refreshToken: u.refreshToken })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('answers 401 for an expired refresh token', async () => {
    const u = await register();
    await h.db.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 minute' WHERE user_id = $1`, [u.user.id]);
    expectError(await h.http.post('/api/v1/auth/refresh', { refreshToken: u.refreshToken }), 401, /expired/);
  });

  it('answers 401 for a forged or tampered refresh token', async () => {
    const u = await register();
    const [id] = u.refreshToken.split('.');
    expectError(await h.http.post('/api/v1/auth/refresh', { refreshToken: `${id}.${'A'.repeat(43)}` }), 401);
    expectError(await h.http.post('/api/v1/auth/refresh', { refreshToken: 'garbage' }), 401);
  });

  it('answers 400 without a token', async () => {
    expectError(await h.http.post('/api/v1/auth/refresh', {}), 400, /refreshToken/);
  });
});

describe('POST /auth/logout', () => {
  it('revokes the token and its family', async () => {
    const u = await register();
    const rotated = await h.http.post('/api/v1/auth/refresh', { refreshToken: u.refreshToken });
    const res = await h.http.post('/api/v1/auth/logout', { refreshToken: rotated.body.refreshToken });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectError(await h.http.post('/api/v1/auth/refresh', { refreshToken: rotated.body.refreshToken }), 401);
    const live = await h.db.query('SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL', [u.user.id]);
    expect(live[0].n).toBe(0);
  });

  it('answers 401 for an unknown token', async () => {
    expectError(await h.http.post('/api/v1/auth/logout', { refreshToken: '00000000-0000-4000-8000-000000000000.' + 'A'.repeat(43) }), 401);
  });
});

describe('OpenAPI', () => {
  it('serves Swagger UI at /docs', async () => {
    const res = await h.http.get('/docs');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/swagger/i);
  });

  it('documents every route with a stable operationId, schemas and the bearer scheme', async () => {
    const res = await h.http.get('/docs-json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const ops = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    );
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'authRegister',
        'authLogin',
        'authRefresh',
        'authLogout',
        'authMe',
        'videosGenerate',
        'videosList',
        'videosGet',
        'videosUpdate',
        'videosRemove',
        'videosFile',
        'videosThumbnail',
        'videosCaptions',
        'videosStream',
        'healthLive',
        'healthReady',
      ]),
    );
    for (const { path, op } of ops) {
      expect(op.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      const statuses = Object.keys(op.responses);
      expect(statuses.some((s) => s.startsWith('2'))).toBe(true);
      if (op.requestBody) expect(statuses).toContain('400');
      if (op.security.length) expect(statuses).toContain('401');
      if (path.startsWith('/api/v1/auth/') && op.requestBody) {
        expect(op.requestBody.content['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\//);
      }
    }
    expect(doc.paths['/api/v1/auth/me'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/v1/videos/{id}/file'].get.responses).toHaveProperty('206');
    expect(doc.paths['/api/v1/videos/generate'].post.responses['202'].headers).toHaveProperty('Location');
    for (const { op } of ops) {
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        if (Number(status) >= 400) expect(response.content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorResponseDto');
      }
    }
    expect(doc.paths['/api/v1/auth/register'].post.responses['409'].content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorResponseDto');
  });

  it('serves exactly the committed contract, openapi.json (what `npm run openapi` writes in preview mode)', async () => {
    const served = await h.http.get('/docs-json');
    const committed = readFileSync(new URL('../openapi.json', import.meta.url), 'utf8');
    // A difference here is an API change the committed document does not show: run `npm run openapi`.
    expect(`${JSON.stringify(served.body, null, 2)}\n`).toBe(committed);
  });

  it('marks exactly the operations that take no token as public (security: [])', async () => {
    const doc = (await h.http.get('/docs-json')).body as { paths: Record<string, Record<string, { security: unknown[] }>> };
    const publicOps = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => op.security.length === 0)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(publicOps.sort()).toEqual([
      'GET /health',
      'GET /health/ready',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/logout',
      'POST /api/v1/auth/refresh',
      'POST /api/v1/auth/register',
    ]);
    // And they really take none: without a token, none of them answers 401 for want of one.
    for (const op of publicOps) {
      const [method, path] = op.split(' ') as [string, string];
      const res = await fetch(h.http.baseUrl + path, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : '{}',
      });
      expect({ op, status: res.status }).toEqual({ op, status: method === 'GET' ? 200 : 400 });
    }
  });
});

describe('health', () => {
  it('answers liveness and readiness', async () => {
    expect((await h.http.get('/health')).body).toEqual({ status: 'ok' });
    expect((await h.http.get('/health/ready')).body).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok', storage: 'ok' } });
  });
});
