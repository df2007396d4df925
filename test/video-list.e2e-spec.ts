import { type ApiHarness, startApi } from './support/api-harness.js';
import { registerUser } from './support/pipeline-harness.js';
import { deleteKeysUnder } from './support/redis-keys.js';

/**
 * GET /videos by cursor (keyset paging) over the real api and database; no worker is
 * needed, the videos stay queued. created_at is arranged in SQL so that groups of videos
 * share one instant (the id breaks the tie) and neighbouring groups differ by a single
 * microsecond, which a cursor rounded to JS milliseconds would skip or repeat.
 */
let h: ApiHarness;

const INVALID = 'cursor is not valid; start again without it';

beforeAll(async () => {
  h = await startApi();
});

afterAll(async () => {
  const prefix = h?.env.QUEUE_PREFIX;
  await h?.close();
  if (prefix) await deleteKeysUnder(h.env.REDIS_URL!, prefix);
});

async function createVideo(token: string, n: number): Promise<string> {
  const res = await h.http.post('/api/v1/videos/generate', { prompt: `Fact number ${n} about tides.`, title: `Tides ${n}` }, token);
  expect(res.status).toBe(202);
  return res.body.id;
}

/** A user with `count` videos whose created_at come in groups of three equal instants, one microsecond apart. */
async function userWithVideos(name: string, count: number): Promise<{ token: string; userId: string }> {
  const token = await registerUser(h, name);
  for (let i = 0; i < count; i++) await createVideo(token, i);
  const [{ user_id: userId }] = await h.db.query(`SELECT v.user_id FROM videos v JOIN users u ON u.id = v.user_id WHERE u.username = $1 LIMIT 1`, [name]);
  await h.db.query(
    `UPDATE videos v SET created_at = timestamptz '2026-01-01 00:00:00.000100Z' + (r.n / 3) * interval '1 microsecond'
       FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) - 1 AS n FROM videos WHERE user_id = $1) r
      WHERE v.id = r.id`,
    [userId],
  );
  return { token, userId };
}

async function expectedOrder(userId: string, status?: string): Promise<string[]> {
  const rows = await h.db.query(`SELECT id FROM videos WHERE user_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY created_at DESC, id DESC`, [
    userId,
    status ?? null,
  ]);
  return rows.map((r) => r.id);
}

const list = (token: string, query: string) => h.http.get(`/api/v1/videos?${query}`, token);

/** Follows nextCursor from the first page to the last, checking each page's shape. */
async function pageThrough(token: string, query: string, onPage?: (ids: string[]) => Promise<void>): Promise<string[][]> {
  const pages: string[][] = [];
  let res = await list(token, query);
  for (;;) {
    expect(res.status).toBe(200);
    const ids = res.body.items.map((v: { id: string }) => v.id);
    pages.push(ids);
    await onPage?.(ids);
    if (res.body.nextCursor === null) return pages;
    expect(pages.length).toBeLessThan(20);
    res = await list(token, `${query}&cursor=${encodeURIComponent(res.body.nextCursor)}`);
    // Numbers still, as offset pages give them: the page the cursor leads to, and the count now.
    expect(res.body).toMatchObject({ total: expect.any(Number), page: pages.length + 1 });
  }
}

describe('GET /videos by cursor', () => {
  let alice: { token: string; userId: string };

  beforeAll(async () => {
    alice = await userWithVideos('alice', 25);
    // Someone else's videos never show up in alice's pages.
    await userWithVideos('bob', 4);
  }, 60_000);

  it('pages through 25 videos, 10 at a time, each exactly once, newest first with id breaking ties', async () => {
    const first = await list(alice.token, 'limit=10');
    expect(first.body).toMatchObject({ total: 25, page: 1, limit: 10, nextCursor: expect.any(String) });
    const pages = await pageThrough(alice.token, 'limit=10');
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(await expectedOrder(alice.userId));
  });

  it('offset pages still answer as before, with a cursor to switch to and none on the last page', async () => {
    const order = await expectedOrder(alice.userId);
    const second = await list(alice.token, 'limit=10&page=2');
    expect(second.body).toMatchObject({ total: 25, page: 2, limit: 10 });
    expect(second.body.items.map((v: { id: string }) => v.id)).toEqual(order.slice(10, 20));
    const rest = await list(alice.token, `limit=10&cursor=${second.body.nextCursor}`);
    expect(rest.body.items.map((v: { id: string }) => v.id)).toEqual(order.slice(20));
    expect(rest.body.nextCursor).toBeNull();
    expect((await list(alice.token, 'limit=10&page=3')).body.nextCursor).toBeNull();
    expect((await list(alice.token, 'limit=25')).body.nextCursor).toBeNull();
  });

  it('neither skips nor repeats videos when one is created and others deleted while a client pages', async () => {
    const carol = await userWithVideos('carol', 25);
    const before = await expectedOrder(carol.userId);
    const seen: string[][] = [];
    const pages = await pageThrough(carol.token, 'limit=10', async (ids) => {
      seen.push(ids);
      if (seen.length !== 1) return;
      // After the first page: one already seen and one not yet seen go, and a new video
      // lands among those not yet seen (as an import or a clock step back could place it).
      await h.http.request('DELETE', `/api/v1/videos/${before[3]}`, { token: carol.token });
      await h.http.request('DELETE', `/api/v1/videos/${before[15]}`, { token: carol.token });
      const added = await createVideo(carol.token, 99);
      await h.db.query(`UPDATE videos SET created_at = (SELECT created_at FROM videos WHERE id = $1) WHERE id = $2`, [before[17], added]);
    });
    const after = await expectedOrder(carol.userId);
    const all = pages.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual([...before.slice(0, 10), ...after.filter((id) => !before.slice(0, 10).includes(id))]);
    expect(all).not.toContain(before[15]);
    expect(all).toHaveLength(25);
  });

  it('pages a status filter by cursor, and refuses the cursor with another filter', async () => {
    await h.db.query(
      `UPDATE videos v SET status = 'failed', stage = 'Failed'
         FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM videos WHERE user_id = $1) r
        WHERE v.id = r.id AND r.n % 3 = 0`,
      [alice.userId],
    );
    const failed = await expectedOrder(alice.userId, 'failed');
    expect(failed).toHaveLength(8);
    const pages = await pageThrough(alice.token, 'status=failed&limit=3');
    expect(pages.flat()).toEqual(failed);

    const cursor = (await list(alice.token, 'status=failed&limit=3')).body.nextCursor;
    const unfiltered = await list(alice.token, `cursor=${cursor}`);
    expect(unfiltered.status).toBe(400);
    expect(unfiltered.body.message).toMatch(/cursor was made for status=failed/);
    const other = await list(alice.token, `status=completed&cursor=${cursor}`);
    expect(other.status).toBe(400);
    const plainCursor = (await list(alice.token, 'limit=3')).body.nextCursor;
    expect((await list(alice.token, `status=failed&cursor=${plainCursor}`)).body.message).toMatch(/cursor was made for no status filter/);
  });

  it('refuses page and cursor together', async () => {
    const cursor = (await list(alice.token, 'limit=3')).body.nextCursor;
    for (const page of ['1', '2']) {
      const res = await list(alice.token, `page=${page}&cursor=${cursor}`);
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('page and cursor cannot be used together: page with page, or follow nextCursor');
    }
  });

  const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  const shaped = (over: Record<string, unknown>) =>
    b64({ v: 1, t: '2026-01-01T00:00:00.000105Z', id: '3f2b8c1e-0d4a-4b6e-9f10-2a3b4c5d6e7f', s: null, p: 2, ...over });

  it.each([
    ['empty', ''],
    ['random text', 'not-a-cursor'],
    ['huge', 'A'.repeat(5000)],
    ['base64 of junk', b64('{"v":1,')],
    ['base64 of an array', b64([1])],
    ['a numeric date', shaped({ t: 0 })],
    ['a date out of range', shaped({ t: '0000-01-01T00:00:00.000000Z' })],
    ['an impossible date', shaped({ t: '2026-13-01T00:00:00.000000Z' })],
    ['a millisecond date', shaped({ t: '2026-01-01T00:00:00.000Z' })],
    ['a non-uuid id', shaped({ id: "x' OR 1=1 --" })],
    ['a status that does not exist', shaped({ s: 'done' })],
    ['given twice', `${shaped({})}&cursor=${shaped({})}`],
  ])('answers 400 to a cursor that is %s', async (_name, cursor) => {
    const res = await list(alice.token, `cursor=${cursor}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(INVALID);
  });

  it('takes a well-formed cursor that no page gave, listing what is older', async () => {
    const order = await expectedOrder(alice.userId);
    const res = await list(alice.token, `limit=100&cursor=${shaped({ t: '2026-01-01T00:00:00.000105Z', id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' })}`);
    expect(res.status).toBe(200);
    // Groups of three per microsecond from .000100: .000105 and older is the oldest 18.
    expect(res.body.items.map((v: { id: string }) => v.id)).toEqual(order.slice(-18));
  });
});
