import { Injectable, Optional } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Prompt } from '../entities/prompt.entity.js';
import { TERMINAL_STATUSES, Video, VideoStatus, type VideoUsage } from '../entities/video.entity.js';
import { VideoChanges, type VideoPublicState, type VideoStateSource } from './video-changes.js';
import { recordVideoEvent } from './webhook-event.sql.js';
import { listVideos, type VideoListQuery, type VideoPage } from './video-list.sql.js';

/** Forward order of the working statuses; a status outside it (terminal) ranks 99. */
const RANK: Partial<Record<VideoStatus, number>> = {
  [VideoStatus.Queued]: 0,
  [VideoStatus.GeneratingSlides]: 1,
  [VideoStatus.GeneratingVoice]: 2,
  [VideoStatus.Rendering]: 3,
};

const RANK_SQL = `CASE status WHEN 'queued' THEN 0 WHEN 'generating_slides' THEN 1 WHEN 'generating_voice' THEN 2 WHEN 'rendering' THEN 3 ELSE 99 END`;

const USAGE_KEYS = new Set(['llmInputTokens', 'llmOutputTokens', 'ttsCharacters', 'cacheHits', 'cacheMisses', 'images']);

export type NewVideo = Pick<Video, 'title' | 'slideCount' | 'aspectRatio' | 'language' | 'voice' | 'theme'> &
  Partial<Pick<Video, 'metadata' | 'captions' | 'captionStyle'>>;

/** A working video that has not changed for a while: what the reconciler looks at. */
export interface StaleVideo {
  id: string;
  promptId: string;
  status: VideoStatus;
  slideCount: number;
  restarts: number;
}

const WORKING_SQL = `status IN ('queued', 'generating_slides', 'generating_voice', 'rendering')`;
const STALE_SQL = `updated_at < now() - make_interval(secs => $STALE)`;

export interface CompletedVideo {
  duration: number;
  videoUrl: string;
  thumbnailUrl: string;
  captionsUrl: string;
}

/** Inserts a prompt and its video with `em` (a transaction's: see createWithPrompt and the quota repository). */
export async function insertVideoWithPrompt(
  em: EntityManager,
  userId: string,
  prompt: { title: string; content: string },
  video: NewVideo,
): Promise<{ video: Video; prompt: Prompt }> {
  const savedPrompt = await em.save(em.create(Prompt, { userId, title: prompt.title, content: prompt.content }));
  const savedVideo = await em.save(em.create(Video, { ...video, userId, promptId: savedPrompt.id }));
  return { video: savedVideo, prompt: savedPrompt };
}

/**
 * The videos table. Status and stage only move forward and progress only goes up
 * (GREATEST), so a retried or late job can never make a video look less done than it was.
 * Every status change goes through transition(), which records its webhook event in the
 * same transaction.
 */
@Injectable()
export class VideoRepository implements VideoStateSource {
  /**
   * `changes` hears of every change this repository commits (the snapshots in Redis); a
   * repository bound to a UnitOfWork transaction has none: its caller refreshes after the commit.
   */
  constructor(
    private readonly manager: EntityManager,
    @Optional() private readonly changes?: VideoChanges,
  ) {}

  /** The row with its prompt's text, in one query: what the video resource is made of. */
  async findPublicState(id: string): Promise<VideoPublicState | null> {
    const row = await this.manager
      .createQueryBuilder(Video, 'v')
      .innerJoinAndMapOne('v.prompt', Prompt, 'p', 'p.id = v.prompt_id')
      .where('v.id = :id', { id })
      .getOne();
    return row && { video: row, prompt: (row as Video & { prompt: Prompt }).prompt };
  }

  private async changed(id: string): Promise<void> {
    await this.changes?.changed(id, this);
  }

  findById(id: string): Promise<Video | null> {
    return this.manager.findOneBy(Video, { id });
  }

  /** For a video that must exist (it was just written): a missing one is an error, not a 404. */
  getById(id: string): Promise<Video> {
    return this.manager.findOneByOrFail(Video, { id });
  }

  /** The owner's video, or null for a missing one and for anyone else's alike. */
  findOwned(userId: string, id: string): Promise<Video | null> {
    return this.manager.findOne(Video, { where: { id, userId } });
  }

  /** Just the status, for the cheap "is it still there" checkpoint between steps. */
  async findStatus(id: string): Promise<VideoStatus | undefined> {
    const rows = await this.manager.query<{ status: VideoStatus }[]>('SELECT status FROM videos WHERE id = $1', [id]);
    return rows[0]?.status;
  }

  /** Newest first (created_at DESC, id DESC), with each video's prompt: by offset or by keyset (video-list.sql.ts). */
  listForUser(userId: string, query: VideoListQuery): Promise<VideoPage> {
    return listVideos(this.manager, userId, query);
  }

  /**
   * The prompt and its video in one transaction. prompts.title keeps only a title the
   * user chose ('' otherwise), so the worker knows whether the deck's title may replace the derived one.
   */
  createWithPrompt(userId: string, prompt: { title: string; content: string }, video: NewVideo): Promise<{ video: Video; prompt: Prompt }> {
    return this.manager.transaction((em) => insertVideoWithPrompt(em, userId, prompt, video));
  }

  /** Matches the owner too, so nobody edits another user's video. */
  async updateOwned(userId: string, id: string, changes: Partial<Pick<Video, 'title' | 'description'>>): Promise<void> {
    if (!Object.keys(changes).length) return;
    await this.manager.update(Video, { id, userId }, changes);
    await this.changed(id);
  }

  /** Moves the status forward (never back) and raises progress (never lowers it). */
  async advanceStatus(id: string, status: VideoStatus, stage: string, progress: number): Promise<void> {
    await this.transition(
      id,
      `UPDATE videos SET status = $2, stage = $3, progress = GREATEST(progress, $4), updated_at = now()
        WHERE id = $1 AND ${RANK_SQL} <= $5`,
      [id, status, stage.slice(0, 200), Math.round(progress), RANK[status] ?? 99],
    );
  }

  /** Raises progress (never lowers it, never to 100) and sets the stage text, within the current status. */
  async reportProgress(id: string, status: VideoStatus, stage: string, progress: number): Promise<void> {
    await this.manager.query(
      `UPDATE videos SET stage = $3, progress = GREATEST(progress, $4), updated_at = now()
        WHERE id = $1 AND status = $2`,
      [id, status, stage.slice(0, 200), Math.min(99, Math.round(progress))],
    );
    await this.changed(id);
  }

  /** Adds to the usage counters in one atomic UPDATE: voice jobs of one video run concurrently. */
  async addUsage(id: string, delta: Partial<VideoUsage>): Promise<void> {
    const entries = Object.entries(delta).filter(([k, v]) => v && USAGE_KEYS.has(k));
    if (!entries.length) return;
    const sets = entries.map(([k], i) => `'${k}', COALESCE((usage->>'${k}')::bigint, 0) + $${i + 2}`);
    await this.manager.query(`UPDATE videos SET usage = usage || jsonb_build_object(${sets.join(', ')}) WHERE id = $1`, [
      id,
      ...entries.map(([, v]) => v),
    ]);
    await this.changed(id);
  }

  async setProviders(id: string, providers: { llmProvider?: string; llmModel?: string; ttsProvider?: string; imageProvider?: string }): Promise<void> {
    await this.manager.update(Video, { id }, providers);
    await this.changed(id);
  }

  /** Gives the video the deck's title, unless the user renamed it meanwhile. */
  async retitle(id: string, derivedTitle: string, deckTitle: string): Promise<void> {
    await this.manager.query('UPDATE videos SET title = $3, updated_at = now() WHERE id = $1 AND title = $2', [id, derivedTitle, deckTitle.slice(0, 200)]);
    await this.changed(id);
  }

  /** Fails a video that is still working; a finished, failed or cancelled one keeps its state. True when this call failed it. */
  fail(id: string, message: string): Promise<boolean> {
    return this.transition(
      id,
      `UPDATE videos SET status = 'failed', error = $2, stage = 'Failed', updated_at = now()
        WHERE id = $1 AND status NOT IN (${TERMINAL_STATUSES.map((s) => `'${s}'`).join(', ')})`,
      [id, message.slice(0, 2000)],
    );
  }

  /**
   * Completes a video unless it failed or was cancelled meanwhile. True when this call
   * completed it (not when a retried stitch completes it again), so it is counted once.
   */
  complete(id: string, result: CompletedVideo): Promise<boolean> {
    return this.transition(
      id,
      `UPDATE videos SET status = 'completed', stage = 'Done', progress = 100, error = NULL, duration = $2,
              video_url = $3, thumbnail_url = $4, captions_url = $5, completed_at = now(), updated_at = now()
        WHERE id = $1 AND status NOT IN ('failed', 'cancelled')`,
      [id, result.duration, result.videoUrl, result.thumbnailUrl, result.captionsUrl],
    );
  }

  /** Cancels a video that is still working; false when it had already finished, failed or been cancelled. */
  cancel(id: string): Promise<boolean> {
    return this.transition(
      id,
      `UPDATE videos SET status = 'cancelled', stage = 'Cancelled', updated_at = now()
        WHERE id = $1 AND status NOT IN (${TERMINAL_STATUSES.map((s) => `'${s}'`).join(', ')})`,
      [id],
    );
  }

  /**
   * Retry: the one place a status moves backwards, from failed or cancelled to the status of
   * the stage the work resumes at. The error goes and the reconciler's restart count starts
   * again; progress stays (it only ever goes up). False when the video is not failed or
   * cancelled any more (a concurrent retry won).
   */
  reopenForRetry(id: string, status: VideoStatus, stage: string): Promise<boolean> {
    return this.transition(
      id,
      `UPDATE videos SET status = $2, stage = $3, error = NULL, restarts = 0, updated_at = now()
        WHERE id = $1 AND status IN ('failed', 'cancelled')`,
      [id, status, stage.slice(0, 200)],
    );
  }

  /** Every video of a user, as removing it needs (account deletion). */
  async listForRemoval(userId: string): Promise<Pick<Video, 'id' | 'promptId' | 'slideCount'>[]> {
    const rows = await this.manager.query<{ id: string; prompt_id: string; slide_count: number }[]>(
      'SELECT id, prompt_id, slide_count FROM videos WHERE user_id = $1',
      [userId],
    );
    return rows.map((r) => ({ id: r.id, promptId: r.prompt_id, slideCount: r.slide_count }));
  }

  /** Working videos unchanged for `staleSeconds` (by the database's clock), longest unchanged first. */
  async findStale(staleSeconds: number, limit: number): Promise<StaleVideo[]> {
    const rows = await this.manager.query<{ id: string; prompt_id: string; status: VideoStatus; slide_count: number; restarts: number }[]>(
      `SELECT id, prompt_id, status, slide_count, restarts FROM videos
        WHERE ${WORKING_SQL} AND ${STALE_SQL.replace('$STALE', '$1')}
        ORDER BY updated_at LIMIT $2`,
      [staleSeconds, limit],
    );
    return rows.map((r) => ({ id: r.id, promptId: r.prompt_id, status: r.status, slideCount: r.slide_count, restarts: r.restarts }));
  }

  /**
   * Counts one restart, only while the video is as the reconciler saw it (same status,
   * still unchanged for `staleSeconds`, under `maxRestarts`): returns the new count, or
   * undefined when it moved meanwhile or has no restart left. Touches updated_at, so the
   * re-enqueued work gets a full `staleSeconds` before it could count as lost again.
   */
  async claimRestart(id: string, status: VideoStatus, staleSeconds: number, maxRestarts: number): Promise<number | undefined> {
    const [rows] = await this.manager.query<[{ restarts: number }[], number]>(
      `UPDATE videos SET restarts = restarts + 1, updated_at = now()
        WHERE id = $1 AND status = $2 AND ${STALE_SQL.replace('$STALE', '$3')} AND restarts < $4
        RETURNING restarts`,
      [id, status, staleSeconds, maxRestarts],
    );
    return rows[0]?.restarts;
  }

  /** Fails a video that is still as the reconciler saw it (same status, unchanged for `staleSeconds`); true when it did. */
  failStale(id: string, status: VideoStatus, staleSeconds: number, message: string): Promise<boolean> {
    return this.transition(
      id,
      `UPDATE videos SET status = 'failed', error = $4, stage = 'Failed', updated_at = now()
        WHERE id = $1 AND status = $2 AND ${STALE_SQL.replace('$STALE', '$3')}`,
      [id, status, staleSeconds, message.slice(0, 2000)],
    );
  }

  /**
   * The one way a video's status changes: `update` (an UPDATE of this video's row, given
   * without RETURNING) runs after the row is locked, in a transaction, and when the status
   * really changed, the webhook event that change is (recordVideoEvent) is written in that
   * same transaction: the transactional outbox. A status change is thus never recorded
   * without its event, nor an event without its change, whatever happens to Redis or the
   * process next; and an UPDATE that leaves the status as it was (a retried stage moving
   * to the status it is in) records nothing, so each stage change is reported once.
   * Returns whether the status changed (an UPDATE to the status it had counts as no change).
   */
  private async transition(id: string, update: string, params: unknown[]): Promise<boolean> {
    const changed = await this.manager.transaction(async (em) => {
      const before = await em.query<{ status: VideoStatus }[]>('SELECT status FROM videos WHERE id = $1 FOR UPDATE', [id]);
      if (!before[0]) return false;
      const [rows] = await em.query<[{ status: VideoStatus }[], number]>(`${update} RETURNING status`, params);
      const after = rows[0]?.status;
      if (after === undefined || after === before[0].status) return false;
      await recordVideoEvent(em, id, after);
      return true;
    });
    // After the commit, whether the status changed or only stage and progress did.
    await this.changed(id);
    return changed;
  }
}
