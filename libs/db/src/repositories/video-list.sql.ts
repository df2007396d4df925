import type { EntityManager } from 'typeorm';
import { Prompt } from '../entities/prompt.entity.js';
import { Video, type VideoStatus } from '../entities/video.entity.js';

/** A video's place in the list order: created_at as UTC text to the microsecond (JS Date would drop them), and id. */
export interface VideoListKey {
  createdAt: string;
  id: string;
}

/** Offset (`page`) or keyset (`after`: the key of the last video seen); never both. */
export interface VideoListQuery {
  limit: number;
  status?: VideoStatus;
  page?: number;
  after?: VideoListKey;
}

export interface VideoPage {
  items: { video: Video; prompt: Prompt }[];
  /** How many match: an index-only count on the same index, kept so `total` stays a number for clients. */
  total: number;
  /** The key of the last item when more follow it, null on the last page. */
  next: VideoListKey | null;
}

// Exact and independent of the session's time zone; read back with CAST(... AS timestamptz).
const KEY_AT_SQL = `to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Newest first (created_at DESC, id DESC), with each video's prompt. One row more than
 * asked tells whether a next page exists. Keyset pages seek straight to their place on
 * videos_user_created_idx or videos_user_status_created_id_idx, however deep, and are not
 * shifted by videos created or deleted meanwhile.
 */
export async function listVideos(manager: EntityManager, userId: string, query: VideoListQuery): Promise<VideoPage> {
  const qb = manager
    .createQueryBuilder(Video, 'v')
    .innerJoinAndMapOne('v.prompt', Prompt, 'p', 'p.id = v.prompt_id')
    .where('v.user_id = :userId', { userId });
  if (query.status) qb.andWhere('v.status = :status', { status: query.status });
  const total = await qb.clone().getCount();
  if (query.after) {
    qb.andWhere('(v.created_at, v.id) < (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))', {
      afterAt: query.after.createdAt,
      afterId: query.after.id,
    });
  }
  qb.addSelect(KEY_AT_SQL, 'key_at')
    .orderBy('v.created_at', 'DESC')
    .addOrderBy('v.id', 'DESC')
    // A one-to-one join: plain LIMIT/OFFSET (skip/take would add a DISTINCT subquery).
    .offset(query.after ? 0 : ((query.page ?? 1) - 1) * query.limit)
    .limit(query.limit + 1);
  const { entities, raw } = await qb.getRawAndEntities<{ key_at: string }>();
  const items = entities.slice(0, query.limit).map((v) => ({ video: v, prompt: (v as Video & { prompt: Prompt }).prompt }));
  const last = items.at(-1)?.video;
  const next = entities.length > query.limit && last ? { createdAt: raw[query.limit - 1]!.key_at, id: last.id } : null;
  return { items, total, next };
}
