import type { EntityManager } from 'typeorm';

/** An Idempotency-Key as stored: the key and the hash of the request body that first used it. */
export interface IdempotencyClaim {
  key: string;
  requestHash: string;
}

/** What a key already names: the video made for it (null once deleted) and its body's hash. */
export interface IdempotencyExisting {
  videoId: string | null;
  requestHash: string;
}

/**
 * Claims a user's key inside the caller's transaction. A concurrent transaction with the
 * same key waits on the primary key until this one ends: it then finds the row (this one
 * committed) or claims the key itself (this one rolled back or released it). Keys older
 * than 24 h are free again; they are dropped here, since only submissions touch the table.
 * Resolves undefined when claimed, else what the key already names.
 */
export async function claimIdempotencyKey(em: EntityManager, userId: string, claim: IdempotencyClaim): Promise<IdempotencyExisting | undefined> {
  await em.query(`DELETE FROM idempotency_keys WHERE user_id = $1 AND created_at < now() - interval '24 hours'`, [userId]);
  const claimed = await em.query<{ key: string }[]>(
    `INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT (user_id, key) DO NOTHING RETURNING key`,
    [userId, claim.key, claim.requestHash],
  );
  if (claimed.length) return undefined;
  const [row] = await em.query<{ video_id: string | null; request_hash: string }[]>(
    'SELECT video_id, request_hash FROM idempotency_keys WHERE user_id = $1 AND key = $2',
    [userId, claim.key],
  );
  return { videoId: row?.video_id ?? null, requestHash: row?.request_hash ?? '' };
}

/** Points a claimed key at the video made for it. */
export async function bindIdempotencyKey(em: EntityManager, userId: string, key: string, videoId: string): Promise<void> {
  await em.query('UPDATE idempotency_keys SET video_id = $3 WHERE user_id = $1 AND key = $2', [userId, key, videoId]);
}

/** Gives a claimed key back (the request made nothing, e.g. over a quota), so a retry may use it. */
export async function releaseIdempotencyKey(em: EntityManager, userId: string, key: string): Promise<void> {
  await em.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2', [userId, key]);
}
