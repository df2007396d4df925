import { QueueDashboardPass } from '@app/auth';
import { type ApiHarness, startApi } from './support/api-harness.js';
import { Chromium } from './support/chromium.js';
import { deleteKeysUnder } from './support/redis-keys.js';
import { waitFor } from './support/wait.js';

// Bull Board at /admin/queues: admins only, reached through a short-lived signed link that
// opens a cookie session. A short TTL lets the expiry be seen without a long wait.
const TTL_SECONDS = 8;
const QUEUES = ['slides', 'voice', 'stitch', 'webhooks'];
const PASSWORD = 'correct horse battery';

let h: ApiHarness;
let chromium: Chromium | undefined;
let seq = 0;

beforeAll(async () => {
  h = await startApi({ QUEUE_DASHBOARD_LINK_TTL_SECONDS: String(TTL_SECONDS) });
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await h?.close();
  await deleteKeysUnder(h.env.REDIS_URL!, h.env.QUEUE_PREFIX!);
});

async function register(role: 'user' | 'admin'): Promise<{ id: string; token: string }> {
  seq += 1;
  const res = await h.http.post('/api/v1/auth/register', { email: `qd${seq}@example.com`, username: `qd${seq}`, password: PASSWORD });
  expect(res.status).toBe(201);
  if (role === 'admin') await h.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [res.body.user.id]);
  return { id: res.body.user.id, token: res.body.accessToken };
}

const getLink = (token?: string) => h.http.request('POST', '/api/v1/admin/queues/link', { token });
const raw = (path: string, cookie?: string) => fetch(h.http.baseUrl + path, { redirect: 'manual', headers: cookie ? { cookie } : {} });

async function expectError(res: Response, status: number, message?: RegExp) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { message: string };
  expect(body).toEqual(expect.objectContaining({ statusCode: status, error: expect.any(String), message: expect.any(String) }));
  if (message) expect(body.message).toMatch(message);
}

/** Opens a link as a browser would, without following the redirect: the session cookie it sets. */
async function openSession(url: string): Promise<string> {
  const res = await raw(url);
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/admin/queues');
  const setCookie = res.headers.get('set-cookie')!;
  expect(setCookie).toMatch(/^blinked_queues=[^;]+; Path=\/admin\/queues; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
  return setCookie.split(';')[0]!;
}

describe('the queue dashboard', () => {
  it('answers 401 to anonymous callers, for the page, its assets, its API and the link route', async () => {
    for (const path of ['/admin/queues', '/admin/queues/', '/admin/queues/api/queues', '/admin/queues/static/css/x.css', '/admin/queues/queue/slides']) {
      await expectError(await raw(path), 401, /link/);
    }
    expect((await getLink()).status).toBe(401);
    await expectError(await raw('/admin/queues/api/queues', 'blinked_queues=forged.1.99999999999999.sig'), 401);
  });

  it('gives admins only a link (403 for others); a non-admin signed link, a forged one and one for another kind are refused', async () => {
    const user = await register('user');
    const res = await getLink(user.token);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ statusCode: 403, message: expect.stringMatching(/administrator/) });

    const forUser = h.app.get(QueueDashboardPass).issueLink(user.id);
    await expectError(await raw(forUser.url), 403, /administrator/);

    const admin = await register('admin');
    const link = await getLink(admin.token);
    expect(link.status).toBe(200);
    expect(link.body.url).toMatch(/^\/admin\/queues\?uid=[0-9a-f-]+&iat=\d+&expires=\d+&sig=[\w-]+$/);
    expect(Date.parse(link.body.expiresAt) - Date.now()).toBeLessThanOrEqual(TTL_SECONDS * 1000);
    const forged = link.body.url.replace(/sig=(.)/, (_: string, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`);
    await expectError(await raw(forged), 401, /invalid or has expired/);
    await expectError(await raw(link.body.url.replace(`uid=${admin.id}`, `uid=${user.id}`)), 401);
    // A session cookie's value is no link, and a link's signature no session.
    const q = new URL(link.body.url, h.http.baseUrl).searchParams;
    await expectError(await raw('/admin/queues/api/queues', `blinked_queues=${q.get('uid')}.${q.get('iat')}.${q.get('expires')}.${q.get('sig')}`), 401);
  });

  it('opens for an admin in Chromium through the link, and shows the four queues', async () => {
    const admin = await register('admin');
    chromium = await Chromium.launch();
    const link = await getLink(admin.token);
    // The page runs under a helmet-like CSP (script-src 'self'): any violation is recorded.
    await chromium.send('Page.addScriptToEvaluateOnNewDocument', {
      source:
        "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));",
    });
    await chromium.open(h.http.baseUrl + link.body.url);
    // The redirect took the signature out of the address bar; the cookie carries the session.
    expect(await chromium.evaluate<string>('location.pathname + location.search')).toBe('/admin/queues');
    const names = await chromium.evaluate<string[]>(`new Promise((resolve, reject) => {
      const wanted = ${JSON.stringify(QUEUES)};
      const started = Date.now();
      const look = () => {
        const text = (document.getElementById('root')?.textContent || '').toLowerCase();
        if (wanted.every((q) => text.includes(q))) return resolve(wanted.filter((q) => text.includes(q)));
        if (Date.now() - started > 20000) return reject(new Error('queues not shown: ' + text.slice(0, 500)));
        setTimeout(look, 100);
      };
      look();
    })`);
    expect(names).toEqual(QUEUES);
    expect(await chromium.evaluate<string[]>('window.__cspViolations')).toEqual([]);
    // The page's script cannot read the session (HttpOnly).
    expect(await chromium.evaluate<string>('document.cookie')).toBe('');
  }, 60_000);

  it("serves Bull Board's API to the session, until it expires; an expired link is refused too", async () => {
    const admin = await register('admin');
    const link = (await getLink(admin.token)).body.url as string;
    const cookie = await openSession(link);
    const api = await raw('/admin/queues/api/queues', cookie);
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: { name: string }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual([...QUEUES].sort());
    expect(api.headers.get('content-security-policy')).toContain("script-src 'self'");

    await waitFor(
      () => raw('/admin/queues/api/queues', cookie).then((r) => r.status),
      (s) => s !== 200,
      (TTL_SECONDS + 10) * 1000,
      'the session to expire',
    );
    await expectError(await raw('/admin/queues/api/queues', cookie), 401, /link/);
    await expectError(await raw(link), 401, /invalid or has expired/);
  }, 40_000);

  it('stops a session at once when its admin is demoted, disabled or signed out everywhere', async () => {
    const admin = await register('admin');
    const cookie = await openSession((await getLink(admin.token)).body.url);
    expect((await raw('/admin/queues/api/queues', cookie)).status).toBe(200);

    await h.db.query(`UPDATE users SET role = 'user' WHERE id = $1`, [admin.id]);
    await expectError(await raw('/admin/queues/api/queues', cookie), 403, /administrator/);
    await expectError(await raw('/admin/queues', cookie), 403);

    await h.db.query(`UPDATE users SET role = 'admin', disabled = true WHERE id = $1`, [admin.id]);
    await expectError(await raw('/admin/queues/api/queues', cookie), 403, /disabled/);

    await h.db.query(`UPDATE users SET disabled = false, tokens_valid_after = now() WHERE id = $1`, [admin.id]);
    await expectError(await raw('/admin/queues/api/queues', cookie), 401, /issued before/);
  });

  it('keeps the dashboard out of the OpenAPI document, and the link route in it', async () => {
    const doc = await h.http.get('/docs-json');
    const paths = Object.keys(doc.body.paths);
    expect(paths).toContain('/api/v1/admin/queues/link');
    expect(paths.filter((p) => p.startsWith('/admin'))).toEqual([]);
    expect(doc.body.paths['/api/v1/admin/queues/link'].post.tags).toEqual(['admin']);
  });
});
