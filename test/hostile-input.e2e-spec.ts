import { type ApiHarness, startApi } from './support/api-harness.js';
import { registerUser } from './support/pipeline-harness.js';
import { deleteKeysUnder } from './support/redis-keys.js';

/**
 * Inputs PostgreSQL or the parsers cannot take (NUL, unpaired surrogates, very
 * deep JSON, null where a value is required) answer 400 naming the field, and
 * store nothing; no worker is needed, the queued jobs stay in Redis until the end.
 */
let h: ApiHarness;
let token: string;
let videoId: string;

const NUL = 'a\u0000b';
const LONE = 'ada\ud800@example.com';

beforeAll(async () => {
  h = await startApi();
  token = await registerUser(h, 'hostile');
  const res = await h.http.post('/api/v1/videos/generate', { prompt: 'Why the sky is blue, in three slides.', title: 'Sky' }, token);
  expect(res.status).toBe(202);
  videoId = res.body.id;
});

afterAll(async () => {
  const prefix = h?.env.QUEUE_PREFIX;
  await h?.close();
  if (prefix) await deleteKeysUnder(h.env.REDIS_URL!, prefix);
});

function expect400(res: { status: number; body: any; text: string }, field: string | RegExp) {
  expect({ status: res.status, body: res.body }).toEqual({
    status: 400,
    body: expect.objectContaining({ statusCode: 400, error: 'Bad Request', message: expect.any(String) }),
  });
  expect(res.body.message).toMatch(typeof field === 'string' ? new RegExp(`\\b${field}\\b`) : field);
}

const count = async (sql: string) => Number((await h.db.query(sql))[0].n);

function nested(depth: number, leaf: unknown = 'x'): string {
  return '['.repeat(depth) + JSON.stringify(leaf) + ']'.repeat(depth);
}

describe('NUL characters and unpaired surrogates', () => {
  it.each([
    ['register email with NUL', '/auth/register', { email: `ada${NUL}@example.com`, username: 'nul1', password: 'correct horse battery' }, 'email'],
    ['register username with NUL', '/auth/register', { email: 'nul2@example.com', username: NUL, password: 'correct horse battery' }, 'username'],
    ['register password with NUL', '/auth/register', { email: 'nul3@example.com', username: 'nul3', password: `correct ${NUL} battery` }, 'password'],
    ['register email with a lone surrogate', '/auth/register', { email: LONE, username: 'lone1', password: 'correct horse battery' }, 'email'],
    [
      'register email with a lone low surrogate',
      '/auth/register',
      { email: 'ada\udc00x@example.com', username: 'lone2', password: 'correct horse battery' },
      'email',
    ],
    ['login email with NUL', '/auth/login', { email: `hostile${NUL}@example.com`, password: 'correct horse battery' }, 'email'],
    ['login password with a lone surrogate', '/auth/login', { email: 'hostile@example.com', password: 'correct\ud800' }, 'password'],
  ])('refuses %s', async (_name, path, body, field) => {
    const users = await count('SELECT count(*) AS n FROM users');
    expect400(await h.http.post(`/api/v1${path}`, body), field);
    expect(await count('SELECT count(*) AS n FROM users')).toBe(users);
  });

  it.each([
    ['prompt', { prompt: `Tides ${NUL}` }],
    ['title', { prompt: 'Tides and the moon.', title: `T${NUL}` }],
    ['prompt', { prompt: 'Tides \ud83d and the moon.' }],
    ['voice', { prompt: 'Tides and the moon.', voice: 'en\u0000' }],
  ])('refuses generate with a bad %s, storing nothing', async (field, body) => {
    const videos = await count('SELECT count(*) AS n FROM videos');
    expect400(await h.http.post('/api/v1/videos/generate', body, token), field);
    expect(await count('SELECT count(*) AS n FROM videos')).toBe(videos);
  });

  it.each([
    ['title', { title: `New ${NUL}` }],
    ['description', { description: `About ${NUL}` }],
    ['description', { description: 'About \udfff' }],
  ])('refuses an update with a bad %s, changing nothing', async (field, body) => {
    const before = await h.db.query('SELECT title, description FROM videos WHERE id = $1', [videoId]);
    expect400(await h.http.request('PUT', `/api/v1/videos/${videoId}`, { body, token }), field);
    expect(await h.db.query('SELECT title, description FROM videos WHERE id = $1', [videoId])).toEqual(before);
  });

  it('refuses them in the query string too', async () => {
    expect400(await h.http.get('/api/v1/videos?status=queued%00', token), 'status');
    expect400(await h.http.get('/api/v1/videos?status=%ED%A0%80', token), /status/);
  });

  it('still accepts paired surrogates (emoji) and other control-free text', async () => {
    const res = await h.http.request('PUT', `/api/v1/videos/${videoId}`, { body: { description: 'Sky 🌤 — blue' }, token });
    expect(res.status).toBe(200);
    expect(res.body.description).toBe('Sky 🌤 — blue');
  });
});

describe('null where a value is required', () => {
  it.each(['title', 'description'])('refuses PUT with %s: null, changing nothing', async (field) => {
    const before = await h.db.query('SELECT title, description FROM videos WHERE id = $1', [videoId]);
    expect400(await h.http.request('PUT', `/api/v1/videos/${videoId}`, { body: { [field]: null }, token }), field);
    expect(await h.db.query('SELECT title, description FROM videos WHERE id = $1', [videoId])).toEqual(before);
  });
});

describe('deeply nested JSON', () => {
  const routes: [string, string, Record<string, unknown>, boolean][] = [
    ['POST', '/auth/register', { email: 'deep@example.com', username: 'deep', password: 'correct horse battery' }, false],
    ['POST', '/auth/login', { email: 'hostile@example.com', password: 'correct horse battery' }, false],
    ['POST', '/auth/refresh', { refreshToken: 'x' }, false],
    ['POST', '/auth/logout', { refreshToken: 'x' }, false],
    ['POST', '/videos/generate', { prompt: 'Deep prompt.' }, true],
    ['PUT', `/videos/{id}`, { title: 'Deep' }, true],
  ];

  it.each(routes)('%s %s: a whole body 10,000 levels deep answers 400', async (method, path, _body, auth) => {
    const bodies: [string, RegExp][] = [
      [nested(10_000), /^The request body is nested too deeply/],
      ['{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000), /^a is nested too deeply/], // named by its top-level field
    ];
    for (const [raw, message] of bodies) {
      const res = await h.http.request(method, `/api/v1${path.replace('{id}', videoId)}`, { raw, token: auth ? token : undefined });
      expect400(res, message);
    }
  });

  it.each(routes)('%s %s: every field 10,000 levels deep answers 400 naming it', async (method, path, body, auth) => {
    for (const field of Object.keys(body)) {
      const raw = JSON.stringify({ ...body, [field]: '@' }).replace('"@"', nested(10_000));
      const res = await h.http.request(method, `/api/v1${path.replace('{id}', videoId)}`, { raw, token: auth ? token : undefined });
      expect400(res, field);
      expect(res.body.message).toMatch(/nested too deeply/);
    }
  });

  it('stores nothing and keeps the api answering', async () => {
    expect(await count("SELECT count(*) AS n FROM users WHERE email = 'deep@example.com'")).toBe(0);
    expect((await h.http.get('/api/v1/auth/me', token)).status).toBe(200);
  });

  it('still takes ordinary nesting and brackets inside strings', async () => {
    const res = await h.http.request('PUT', `/api/v1/videos/${videoId}`, { body: { description: '[[[[{{{{"\\' + '['.repeat(5000) }, token });
    expect(res.status).toBe(400); // too long (5000 characters at most), but parsed: the brackets are text
    expect(res.body.message).toMatch(/description must be at most 5000/);
    const ok = await h.http.request('PUT', `/api/v1/videos/${videoId}`, { body: { description: '{"a":[[1]]} [ ] ' + '['.repeat(100) }, token });
    expect(ok.status).toBe(200);
  });
});
