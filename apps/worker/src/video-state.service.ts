import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Prompt, TERMINAL_STATUSES, Video, VideoStatus, type VideoUsage } from '@app/db';
import { VideoGone } from './stages/video-gone.error.js';

const RANK: Partial<Record<VideoStatus, number>> = {
  [VideoStatus.Queued]: 0,
  [VideoStatus.GeneratingSlides]: 1,
  [VideoStatus.GeneratingVoice]: 2,
  [VideoStatus.Rendering]: 3,
};

const USAGE_KEYS = new Set(['llmInputTokens', 'llmOutputTokens', 'ttsCharacters', 'cacheHits', 'cacheMisses']);

const RANK_SQL = `CASE status WHEN 'queued' THEN 0 WHEN 'generating_slides' THEN 1 WHEN 'generating_voice' THEN 2 WHEN 'rendering' THEN 3 ELSE 99 END`;

/**
 * The worker's writes to a video row. Status and stage only move forward and
 * progress only goes up (GREATEST), so a retried or late job can never make a
 * video look less done than it was.
 */
@Injectable()
export class VideoState {
  constructor(private readonly db: DataSource) {}

  /** The video and its prompt; throws VideoGone when it was deleted or cancelled. */
  async load(videoId: string): Promise<{ video: Video; prompt: Prompt }> {
    const video = await this.db.getRepository(Video).findOneBy({ id: videoId });
    if (!video || video.status === VideoStatus.Cancelled) throw new VideoGone(videoId);
    const prompt = await this.db.getRepository(Prompt).findOneBy({ id: video.promptId });
    if (!prompt) throw new VideoGone(videoId);
    return { video, prompt };
  }

  /** Checkpoint between steps: throws VideoGone when the video was deleted meanwhile. */
  async ensureLive(videoId: string): Promise<void> {
    const rows = await this.db.query<{ status: VideoStatus }[]>('SELECT status FROM videos WHERE id = $1', [videoId]);
    if (!rows.length || rows[0]!.status === VideoStatus.Cancelled) throw new VideoGone(videoId);
  }

  async advance(videoId: string, status: VideoStatus, stage: string, progress: number): Promise<void> {
    await this.db.query(
      `UPDATE videos SET status = $2, stage = $3, progress = GREATEST(progress, $4), updated_at = now()
        WHERE id = $1 AND ${RANK_SQL} <= $5`,
      [videoId, status, stage.slice(0, 200), Math.round(progress), RANK[status] ?? 99],
    );
  }

  /** Raises progress (never lowers it) and sets the stage text, within the current status. */
  async report(videoId: string, status: VideoStatus, stage: string, progress: number): Promise<void> {
    await this.db.query(
      `UPDATE videos SET stage = $3, progress = GREATEST(progress, $4), updated_at = now()
        WHERE id = $1 AND status = $2`,
      [videoId, status, stage.slice(0, 200), Math.min(99, Math.round(progress))],
    );
  }

  async addUsage(videoId: string, delta: Partial<VideoUsage>): Promise<void> {
    const entries = Object.entries(delta).filter(([k, v]) => v && USAGE_KEYS.has(k));
    if (!entries.length) return;
    // One atomic UPDATE per delta: voice jobs of one video run concurrently.
    const sets = entries.map(
      ([k], i) => `'${k}', COALESCE((usage->>'${k}')::bigint, 0) + $${i + 2}`,
    );
    await this.db.query(`UPDATE videos SET usage = usage || jsonb_build_object(${sets.join(', ')}) WHERE id = $1`, [
      videoId,
      ...entries.map(([, v]) => v),
    ]);
  }

  async setProviders(videoId: string, providers: { llmProvider?: string; llmModel?: string; ttsProvider?: string }): Promise<void> {
    await this.db.getRepository(Video).update({ id: videoId }, providers);
  }

  /** Gives the video the deck's title, unless the user renamed it meanwhile. */
  async retitle(videoId: string, derivedTitle: string, deckTitle: string): Promise<void> {
    await this.db.query('UPDATE videos SET title = $3, updated_at = now() WHERE id = $1 AND title = $2', [videoId, derivedTitle, deckTitle.slice(0, 200)]);
  }

  async fail(videoId: string, message: string): Promise<void> {
    await this.db.query(
      `UPDATE videos SET status = 'failed', error = $2, stage = 'Failed', updated_at = now()
        WHERE id = $1 AND status NOT IN (${TERMINAL_STATUSES.map((s) => `'${s}'`).join(', ')})`,
      [videoId, message.slice(0, 2000)],
    );
  }

  async complete(videoId: string, result: { duration: number; videoUrl: string; thumbnailUrl: string; captionsUrl: string }): Promise<void> {
    await this.db.query(
      `UPDATE videos SET status = 'completed', stage = 'Done', progress = 100, error = NULL, duration = $2,
              video_url = $3, thumbnail_url = $4, captions_url = $5, completed_at = now(), updated_at = now()
        WHERE id = $1 AND status NOT IN ('failed', 'cancelled')`,
      [videoId, result.duration, result.videoUrl, result.thumbnailUrl, result.captionsUrl],
    );
  }
}
