import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { CacheKind } from '@app/db';
import { blobKey, Storage } from '@app/storage';
import { advisoryLockId, contentHash } from './cache-key.js';
import type { Deck } from '../deck/deck.types.js';
import type { NarrationResult } from '../narration/narrator.port.js';
import type { SlideWriterResult } from '../deck/slide-writer.port.js';

export interface CachedDeck extends SlideWriterResult {
  hit: boolean;
}

export interface CachedAudio {
  storageKey: string;
  format: NarrationResult['format'];
  durationSeconds: number;
  /** Characters billed by this call: 0 on a hit. */
  characters: number;
  hit: boolean;
}

/**
 * The generation cache (table generation_cache): the same deck request or the
 * same narration never reaches a paid provider twice. Concurrent identical
 * requests, in any process, are single-flighted through a PostgreSQL advisory
 * lock on the key: the second waits for the first's result instead of racing it.
 */
@Injectable()
export class GenerationCache {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: Storage,
  ) {}

  async deck(key: string, provider: string, model: string, produce: () => Promise<SlideWriterResult>): Promise<CachedDeck> {
    return this.singleFlight(key, async (runner) => {
      const found = await this.lookup(runner, CacheKind.Deck, key);
      if (found?.payload) return { deck: found.payload as unknown as Deck, inputTokens: 0, outputTokens: 0, hit: true };
      const result = await produce();
      await this.store(runner, CacheKind.Deck, key, provider, model, { payload: result.deck as unknown as Record<string, unknown> });
      return { ...result, hit: false };
    });
  }

  async audio(key: string, provider: string, voice: string, produce: () => Promise<NarrationResult>): Promise<CachedAudio> {
    return this.singleFlight(key, async (runner) => {
      const found = await this.lookup(runner, CacheKind.Audio, key);
      if (found?.storageKey && (await this.storage.stat(found.storageKey))) {
        const meta = (found.payload ?? {}) as { format?: NarrationResult['format']; durationSeconds?: number };
        if (meta.format && meta.durationSeconds) {
          return { storageKey: found.storageKey, format: meta.format, durationSeconds: meta.durationSeconds, characters: 0, hit: true };
        }
      }
      const result = await produce();
      // Content-addressed: identical audio from different keys is stored once.
      const storageKey = blobKey('audio', contentHash(result.audio), result.format);
      if (!(await this.storage.stat(storageKey))) await this.storage.put(storageKey, result.audio);
      await this.store(runner, CacheKind.Audio, key, provider, voice, {
        storageKey,
        payload: { format: result.format, durationSeconds: result.durationSeconds },
      });
      return { storageKey, format: result.format, durationSeconds: result.durationSeconds, characters: result.characters, hit: false };
    });
  }

  private async singleFlight<T>(key: string, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const lock = advisoryLockId(key);
    try {
      await runner.query('SELECT pg_advisory_lock($1::bigint)', [lock]);
      try {
        return await work(runner);
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1::bigint)', [lock]);
      }
    } finally {
      await runner.release();
    }
  }

  private async lookup(runner: QueryRunner, kind: CacheKind, key: string) {
    const result = await runner.query(
      `UPDATE generation_cache SET hit_count = hit_count + 1, last_used_at = now()
        WHERE kind = $1 AND cache_key = $2 RETURNING payload, storage_key`,
      [kind, key],
      true,
    );
    const row = (result.records as { payload: Record<string, unknown> | null; storage_key: string | null }[])[0];
    return row ? { payload: row.payload, storageKey: row.storage_key } : undefined;
  }

  private async store(
    runner: QueryRunner,
    kind: CacheKind,
    key: string,
    provider: string,
    model: string,
    value: { payload?: Record<string, unknown>; storageKey?: string },
  ): Promise<void> {
    await runner.query(
      `INSERT INTO generation_cache (kind, cache_key, provider, model, payload, storage_key)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (kind, cache_key) DO UPDATE SET payload = EXCLUDED.payload, storage_key = EXCLUDED.storage_key, last_used_at = now()`,
      [kind, key, provider, model.slice(0, 100), value.payload ? JSON.stringify(value.payload) : null, value.storageKey ?? null],
    );
  }
}
