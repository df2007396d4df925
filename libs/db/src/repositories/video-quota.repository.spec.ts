import { randomBytes } from 'node:crypto';
import { type Connected, connect } from '@test/support/repositories.js';
import { createTestDatabase, type TestDatabase } from '@test/support/test-db.js';
import { VideoStatus } from '../entities/video.entity.js';
import type { VideoQuota } from './video-quota.repository.js';

const PROMPT = { title: '', content: 'Why is the sky blue?' };
const VIDEO = { title: 'Sky', slideCount: 3, aspectRatio: '16:9', language: 'en-US', voice: null, theme: 'light' };
const DEFAULTS: VideoQuota = { concurrent: 3, daily: 5 };

describe('VideoQuotaRepository', () => {
  let db: TestDatabase;
  let c: Connected;

  beforeAll(async () => {
    db = await createTestDatabase();
    c = await connect(db.url);
  });
  afterAll(async () => {
    await c?.close();
    await db?.drop();
  });

  async function newUser() {
    const name = `q${randomBytes(4).toString('hex')}`;
    return c.repos.users.create({ email: `${name}@example.com`, username: name, passwordHash: 'x'.repeat(60) });
  }
  const create = (userId: string, defaults = DEFAULTS) => c.repos.videoQuotas.createWithinQuota(userId, PROMPT, VIDEO, defaults);
  const videoCount = async (userId: string) => Number((await db.query('SELECT count(*) AS n FROM videos WHERE user_id = $1', [userId]))[0].n);
  const promptCount = async (userId: string) => Number((await db.query('SELECT count(*) AS n FROM prompts WHERE user_id = $1', [userId]))[0].n);

  it('does not count a repeated Idempotency-Key, and gives the key back when a quota refuses', async () => {
    const user = await newUser();
    const one = { concurrent: 1, daily: 5 };
    const first = await c.repos.videoQuotas.createWithinQuota(user.id, PROMPT, VIDEO, one, { key: 'k1', requestHash: 'a'.repeat(64) });
    if (!('created' in first)) throw new Error('expected a new video');
    // At the quota now, yet the same key still answers with its video.
    const repeat = await c.repos.videoQuotas.createWithinQuota(user.id, PROMPT, VIDEO, one, { key: 'k1', requestHash: 'a'.repeat(64) });
    expect(repeat).toEqual({ existing: { videoId: first.created.video.id, requestHash: 'a'.repeat(64) } });
    // A new key over the quota is refused and keeps nothing: once there is room, the same key makes a video.
    const over = await c.repos.videoQuotas.createWithinQuota(user.id, PROMPT, VIDEO, one, { key: 'k2', requestHash: 'b'.repeat(64) });
    expect(over).toHaveProperty('refused', 'concurrent');
    expect((await db.query('SELECT key FROM idempotency_keys WHERE user_id = $1 ORDER BY key', [user.id])).map((r) => r.key)).toEqual(['k1']);
    const later = await c.repos.videoQuotas.createWithinQuota(
      user.id,
      PROMPT,
      VIDEO,
      { concurrent: 2, daily: 5 },
      { key: 'k2', requestHash: 'b'.repeat(64) },
    );
    expect(later).toHaveProperty('created');
    expect(await videoCount(user.id)).toBe(2);
  });

  it('lets exactly the quota through when ten requests race, and stores nothing for the refused ones', async () => {
    const user = await newUser();
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => create(user.id)));
    expect(outcomes.filter((o) => 'created' in o)).toHaveLength(3);
    const refused = outcomes.filter((o) => 'refused' in o);
    expect(refused).toHaveLength(7);
    for (const o of refused) {
      expect(o).toEqual({ refused: 'concurrent', usage: { videosInProgress: 3, videosToday: 3, limits: DEFAULTS } });
    }
    expect(await videoCount(user.id)).toBe(3);
    expect(await promptCount(user.id)).toBe(3);
  });

  it('frees a concurrent slot when a video reaches a terminal status', async () => {
    const user = await newUser();
    const made = [await create(user.id), await create(user.id), await create(user.id)];
    expect(await create(user.id)).toMatchObject({ refused: 'concurrent' });
    const first = made[0]!;
    if (!('created' in first)) throw new Error('expected the first video to be created');
    await c.repos.videos.fail(first.created.video.id, 'boom');
    expect(await create(user.id)).toHaveProperty('created');
    expect(await c.repos.videoQuotas.usage(user.id, DEFAULTS)).toEqual({ videosInProgress: 3, videosToday: 4, limits: DEFAULTS });
  });

  it('counts creations, so deleting finished videos does not give daily slots back', async () => {
    const user = await newUser();
    const daily = { concurrent: 100, daily: 2 };
    for (let i = 0; i < 2; i++) {
      const o = await create(user.id, daily);
      if (!('created' in o)) throw new Error('expected a video');
      await c.repos.prompts.deleteWithVideo(o.created.prompt.id);
    }
    expect(await videoCount(user.id)).toBe(0);
    expect(await create(user.id, daily)).toMatchObject({ refused: 'daily', usage: { videosInProgress: 0, videosToday: 2 } });
  });

  it('counts a rolling 24 h for the daily quota and says when the oldest counted video leaves it', async () => {
    const user = await newUser();
    // Five finished videos: 23 h, 10 h, 5 h, 1 h and 1 min old, plus one from 25 h ago that no longer counts.
    for (const ageSeconds of [25 * 3600, 23 * 3600, 10 * 3600, 5 * 3600, 3600, 60]) {
      const o = await create(user.id, { concurrent: 100, daily: 100 });
      if (!('created' in o)) throw new Error('expected a video');
      await db.query(`UPDATE videos SET status = $2 WHERE id = $1`, [o.created.video.id, VideoStatus.Completed]);
      // The creation just counted is the user's newest: age it.
      await db.query(
        `UPDATE video_creations SET created_at = now() - make_interval(secs => $2)
          WHERE ctid = (SELECT ctid FROM video_creations WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1)`,
        [user.id, ageSeconds],
      );
    }
    const refused = await create(user.id);
    expect(refused).toMatchObject({ refused: 'daily', usage: { videosInProgress: 0, videosToday: 5, limits: DEFAULTS } });
    // The 23-hour-old one leaves the window in an hour.
    const seconds = (refused as { secondsUntilDailySlot: number }).secondsUntilDailySlot;
    expect(seconds).toBeGreaterThan(3590);
    expect(seconds).toBeLessThanOrEqual(3600);

    // With a quota of 3 (lowered below what is already used), three must leave: the 5-hour-old one is the third, in 19 h.
    await db.query('UPDATE users SET quota_daily = 3 WHERE id = $1', [user.id]);
    const lowered = await create(user.id);
    expect(lowered).toMatchObject({ refused: 'daily', usage: { videosToday: 5, limits: { concurrent: 3, daily: 3 } } });
    const s2 = (lowered as { secondsUntilDailySlot: number }).secondsUntilDailySlot;
    expect(s2).toBeGreaterThan(19 * 3600 - 10);
    expect(s2).toBeLessThanOrEqual(19 * 3600);
  });

  it("uses the user's own quotas when set, the deployment's when null", async () => {
    const user = await newUser();
    await db.query('UPDATE users SET quota_concurrent = 1, quota_daily = NULL WHERE id = $1', [user.id]);
    expect(await create(user.id)).toHaveProperty('created');
    expect(await create(user.id)).toEqual({ refused: 'concurrent', usage: { videosInProgress: 1, videosToday: 1, limits: { concurrent: 1, daily: 5 } } });
    await db.query('UPDATE users SET quota_concurrent = 10, quota_daily = 1 WHERE id = $1', [user.id]);
    expect(await create(user.id)).toMatchObject({ refused: 'daily', usage: { limits: { concurrent: 10, daily: 1 } } });
  });

  it('does not make one user wait for another', async () => {
    const [a, b] = [await newUser(), await newUser()];
    const results = await Promise.all([create(a.id), create(b.id), create(a.id), create(b.id)]);
    expect(results.every((r) => 'created' in r)).toBe(true);
    expect(await c.repos.videoQuotas.usage(b.id, DEFAULTS)).toMatchObject({ videosInProgress: 2 });
  });
});
