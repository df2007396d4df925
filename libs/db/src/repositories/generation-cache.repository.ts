import type { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import type { CacheKind } from '../entities/generation-cache.entity.js';

/** What a cache row holds: a deck's JSON, or where an audio blob is stored and its metadata. */
export interface GenerationCacheValue {
  payload: Record<string, unknown> | null;
  storageKey: string | null;
}

export interface GenerationCacheWrite {
  provider: string;
  /** Model or voice; cut to the column's 100 characters. */
  model: string;
  payload?: Record<string, unknown>;
  storageKey?: string;
}

/** Reads and writes of one cache key, on the connection that holds the key's lock. */
export interface LockedGenerationCache {
  /** The row for a key, counting the hit; undefined when there is none. */
  lookup(kind: CacheKind, key: string): Promise<GenerationCacheValue | undefined>;
  /** Inserts the row, or replaces what an earlier (expired, partial) entry left. */
  store(kind: CacheKind, key: string, value: GenerationCacheWrite): Promise<void>;
}

/** The SQL of table generation_cache. */
@Injectable()
export class GenerationCacheRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` holding the PostgreSQL advisory lock `lockId` (a signed 64-bit integer, as
   * text). Session locks belong to a connection, so the lock, the work's queries and the
   * unlock all run on one dedicated connection, released afterwards whatever happens.
   *
   * `work` waits on a provider with that connection idle; when the database goes away
   * meanwhile (a restart), TypeORM releases the runner on the connection's error and every
   * later statement says only "Query runner already released", which reads as a bug, not
   * an outage. So the connection's own error is kept and thrown as the cause instead, and
   * the unlock is skipped: a lost session took its lock with it.
   */
  async withLock<T>(lockId: string, work: (cache: LockedGenerationCache) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    const connection = (await runner.connect()) as EventEmitter;
    let lost: Error | undefined;
    const onError = (e: Error) => (lost ??= e);
    connection.on('error', onError);
    const statement = async <R>(run: () => Promise<R>): Promise<R> => {
      try {
        return await run();
      } catch (e) {
        throw lost ? new Error(`the database connection was lost: ${lost.message}`, { cause: lost }) : e;
      }
    };
    try {
      await statement(() => runner.query('SELECT pg_advisory_lock($1::bigint)', [lockId]));
      try {
        return await work({
          lookup: (kind, key) => statement(() => lookup(runner, kind, key)),
          store: (kind, key, value) => statement(() => store(runner, kind, key, value)),
        });
      } finally {
        if (!lost) await runner.query('SELECT pg_advisory_unlock($1::bigint)', [lockId]);
      }
    } finally {
      connection.removeListener('error', onError);
      await runner.release();
    }
  }
}

async function lookup(runner: QueryRunner, kind: CacheKind, key: string): Promise<GenerationCacheValue | undefined> {
  const result = await runner.query(
    `UPDATE generation_cache SET hit_count = hit_count + 1, last_used_at = now()
      WHERE kind = $1 AND cache_key = $2 RETURNING payload, storage_key`,
    [kind, key],
    true,
  );
  const row = (result.records as { payload: Record<string, unknown> | null; storage_key: string | null }[])[0];
  return row ? { payload: row.payload, storageKey: row.storage_key } : undefined;
}

async function store(runner: QueryRunner, kind: CacheKind, key: string, value: GenerationCacheWrite): Promise<void> {
  await runner.query(
    `INSERT INTO generation_cache (kind, cache_key, provider, model, payload, storage_key)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (kind, cache_key) DO UPDATE SET payload = EXCLUDED.payload, storage_key = EXCLUDED.storage_key, last_used_at = now()`,
    [kind, key, value.provider, value.model.slice(0, 100), value.payload ? JSON.stringify(value.payload) : null, value.storageKey ?? null],
  );
}
