import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Prompt } from '../entities/prompt.entity.js';
import { TERMINAL_STATUSES, type Video } from '../entities/video.entity.js';
import { bindIdempotencyKey, claimIdempotencyKey, type IdempotencyClaim, type IdempotencyExisting, releaseIdempotencyKey } from './idempotency-key.sql.js';
import { insertVideoWithPrompt, type NewVideo } from './video.repository.js';

/** How many videos a user may have unfinished at once, and create per rolling 24 h. */
export interface VideoQuota {
  concurrent: number;
  daily: number;
}

/** A user's current counts and the quota that applies to them (their override, else the deployment's). */
export interface QuotaUsage {
  videosInProgress: number;
  videosToday: number;
  limits: VideoQuota;
}

export type QuotaName = keyof VideoQuota;

export type QuotaOutcome =
  | { created: { video: Video; prompt: Prompt } }
  /** The Idempotency-Key was used before: nothing new was made or counted. */
  | { existing: IdempotencyExisting }
  | {
      refused: QuotaName;
      usage: QuotaUsage;
      /** For the daily quota: seconds until the oldest video that counts leaves the 24 h window. */
      secondsUntilDailySlot?: number;
    };

// Two-key advisory locks: the class id keeps them apart from the generation cache's one-key locks.
const QUOTA_LOCK_CLASS = 0x51a0;
const WINDOW = `interval '24 hours'`;
const UNFINISHED_SQL = `status NOT IN (${TERMINAL_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/**
 * Per-user generation quotas, counted from the videos table itself: a counter kept
 * elsewhere (Redis) would drift whenever a video finishes, fails or is deleted
 * without telling it, while the rows are the truth.
 */
@Injectable()
export class VideoQuotaRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The user's counts and effective quota; a missing user gets the defaults and zero counts. */
  usage(userId: string, defaults: VideoQuota): Promise<QuotaUsage> {
    return readUsage(this.manager, userId, defaults);
  }

  /**
   * Counts and inserts under a per-user transaction-scoped advisory lock, so two
   * requests of one user at the edge of the quota (on any api replica) cannot both
   * pass: the second waits for the first to commit and then counts its row. Other
   * users are not held up. Nothing is written when a quota refuses.
   *
   * With an Idempotency-Key the key is claimed first, in the same transaction: a repeat
   * gets `existing` without being counted against the quota, two concurrent requests
   * with one key make one video, and a refused request gives its key back.
   */
  createWithinQuota(
    userId: string,
    prompt: { title: string; content: string },
    video: NewVideo,
    defaults: VideoQuota,
    idempotency?: IdempotencyClaim,
  ): Promise<QuotaOutcome> {
    return this.manager.transaction(async (em) => {
      if (idempotency) {
        const existing = await claimIdempotencyKey(em, userId, idempotency);
        if (existing) return { existing };
      }
      await em.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [QUOTA_LOCK_CLASS, userId]);
      const usage = await readUsage(em, userId, defaults);
      const refused: QuotaOutcome | undefined =
        usage.videosInProgress >= usage.limits.concurrent
          ? { refused: 'concurrent', usage }
          : usage.videosToday >= usage.limits.daily
            ? { refused: 'daily', usage, secondsUntilDailySlot: await secondsUntilDailySlot(em, userId, usage) }
            : undefined;
      if (refused) {
        if (idempotency) await releaseIdempotencyKey(em, userId, idempotency.key);
        return refused;
      }
      const created = await insertVideoWithPrompt(em, userId, prompt, video);
      await recordCreation(em, userId);
      if (idempotency) await bindIdempotencyKey(em, userId, idempotency.key, created.video.id);
      return { created };
    });
  }
}

async function readUsage(em: EntityManager, userId: string, defaults: VideoQuota): Promise<QuotaUsage> {
  const rows = await em.query<{ in_progress: number; today: number; quota_concurrent: number | null; quota_daily: number | null }[]>(
    `SELECT (SELECT count(*) FROM videos WHERE user_id = $1 AND ${UNFINISHED_SQL})::int AS in_progress,
            (SELECT count(*) FROM video_creations WHERE user_id = $1 AND created_at > now() - ${WINDOW})::int AS today,
            u.quota_concurrent, u.quota_daily
       FROM (SELECT 1) AS one LEFT JOIN users u ON u.id = $1`,
    [userId],
  );
  const r = rows[0]!;
  return {
    videosInProgress: r.in_progress,
    videosToday: r.today,
    limits: { concurrent: r.quota_concurrent ?? defaults.concurrent, daily: r.quota_daily ?? defaults.daily },
  };
}

/**
 * When the count in the window drops below the quota: the moment the video at
 * position (count - quota) from the oldest leaves it. Measured by the database's clock.
 */
async function secondsUntilDailySlot(em: EntityManager, userId: string, usage: QuotaUsage): Promise<number> {
  const rows = await em.query<{ seconds: number }[]>(
    `SELECT ceil(extract(epoch FROM created_at + ${WINDOW} - now()))::int AS seconds
       FROM video_creations WHERE user_id = $1 AND created_at > now() - ${WINDOW}
      ORDER BY created_at OFFSET $2 LIMIT 1`,
    [userId, Math.max(0, usage.videosToday - usage.limits.daily)],
  );
  return Math.max(1, rows[0]?.seconds ?? 1);
}

/** Counts a creation for the daily quota (deleting the video later does not give it back), dropping the user's expired ones. */
async function recordCreation(em: EntityManager, userId: string): Promise<void> {
  await em.query(`DELETE FROM video_creations WHERE user_id = $1 AND created_at <= now() - ${WINDOW}`, [userId]);
  await em.query('INSERT INTO video_creations (user_id) VALUES ($1)', [userId]);
}
