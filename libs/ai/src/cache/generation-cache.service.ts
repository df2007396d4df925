import { Injectable } from '@nestjs/common';
import type { SpeechTiming } from '@app/common';
import { CacheKind, GenerationCacheRepository } from '@app/db';
import { blobKey, Storage } from '@app/storage';
import { advisoryLockId, contentHash } from './cache-key.js';
import type { Deck } from '../deck/deck.types.js';
import type { NarrationResult } from '../narration/narrator.port.js';
import type { SlideWriterResult } from '../deck/slide-writer.port.js';
import type { ImageResult } from '../images/image-source.port.js';

export interface CachedDeck extends SlideWriterResult {
  hit: boolean;
}

export interface CachedAudio {
  storageKey: string;
  format: NarrationResult['format'];
  durationSeconds: number;
  /** When each word or phrase is spoken, as the engine measured it. */
  timing: SpeechTiming;
  /** Characters billed by this call: 0 on a hit. */
  characters: number;
  hit: boolean;
}

export interface CachedImage {
  /** Null when the source found nothing: not stored, so the next video asks again. */
  image: ImageResult | null;
  hit: boolean;
}

const IMAGE_EXTENSIONS: Record<ImageResult['mime'], string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
};

/**
 * The generation cache (table generation_cache): the same deck request or the
 * same narration never reaches a paid provider twice. Concurrent identical
 * requests, in any process, are single-flighted through a PostgreSQL advisory
 * lock on the key: the second waits for the first's result instead of racing it.
 */
@Injectable()
export class GenerationCache {
  constructor(
    private readonly repository: GenerationCacheRepository,
    private readonly storage: Storage,
  ) {}

  async deck(key: string, provider: string, model: string, produce: () => Promise<SlideWriterResult>): Promise<CachedDeck> {
    return this.repository.withLock(advisoryLockId(key), async (cache) => {
      const found = await cache.lookup(CacheKind.Deck, key);
      if (found?.payload) return { deck: found.payload as unknown as Deck, inputTokens: 0, outputTokens: 0, hit: true };
      const result = await produce();
      await cache.store(CacheKind.Deck, key, { provider, model, payload: result.deck as unknown as Record<string, unknown> });
      return { ...result, hit: false };
    });
  }

  async audio(key: string, provider: string, voice: string, produce: () => Promise<NarrationResult>): Promise<CachedAudio> {
    return this.repository.withLock(advisoryLockId(key), async (cache) => {
      const found = await cache.lookup(CacheKind.Audio, key);
      if (found?.storageKey && (await this.storage.stat(found.storageKey))) {
        const meta = (found.payload ?? {}) as { format?: NarrationResult['format']; durationSeconds?: number; timing?: SpeechTiming };
        // An entry stored before timings were kept is a miss: captions need them.
        if (meta.format && meta.durationSeconds && Array.isArray(meta.timing?.marks)) {
          return {
            storageKey: found.storageKey,
            format: meta.format,
            durationSeconds: meta.durationSeconds,
            timing: meta.timing,
            characters: 0,
            hit: true,
          };
        }
      }
      const result = await produce();
      // Content-addressed: identical audio from different keys is stored once.
      const storageKey = blobKey('audio', contentHash(result.audio), result.format);
      if (!(await this.storage.stat(storageKey))) await this.storage.put(storageKey, result.audio);
      await cache.store(CacheKind.Audio, key, {
        provider,
        model: voice,
        storageKey,
        payload: { format: result.format, durationSeconds: result.durationSeconds, timing: result.timing as unknown as Record<string, unknown> },
      });
      return {
        storageKey,
        format: result.format,
        durationSeconds: result.durationSeconds,
        timing: result.timing,
        characters: result.characters,
        hit: false,
      };
    });
  }

  /** A slide's picture; the bytes in storage (content-addressed), what is said about them in the row. */
  async image(key: string, provider: string, model: string, produce: () => Promise<ImageResult | null>): Promise<CachedImage> {
    return this.repository.withLock(advisoryLockId(key), async (cache) => {
      const found = await cache.lookup(CacheKind.Image, key);
      if (found?.storageKey) {
        const meta = (found.payload ?? {}) as Partial<Pick<ImageResult, 'kind' | 'mime' | 'source' | 'attribution'>>;
        // A blob lost from storage is made again; a storage outage propagates (stat throws).
        const stored = meta.kind && meta.mime && meta.source && (await this.storage.stat(found.storageKey));
        const data = stored ? await this.storage.get(found.storageKey) : null;
        if (data) {
          return { image: { kind: meta.kind!, mime: meta.mime!, source: meta.source!, attribution: meta.attribution ?? null, data }, hit: true };
        }
      }
      const result = await produce();
      if (!result) return { image: null, hit: false };
      const storageKey = blobKey('image', contentHash(result.data), IMAGE_EXTENSIONS[result.mime]);
      if (!(await this.storage.stat(storageKey))) await this.storage.put(storageKey, result.data);
      await cache.store(CacheKind.Image, key, {
        provider,
        model,
        storageKey,
        payload: { kind: result.kind, mime: result.mime, source: result.source, attribution: result.attribution },
      });
      return { image: result, hit: false };
    });
  }
}
