import type { DataSourceOptions } from 'typeorm';
import { GenerationCacheEntry, Prompt, RefreshToken, Slide, User, Video, Voiceover } from './entities/index.js';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema.js';
import { AccountControls1766000000000 } from './migrations/1766000000000-account-controls.js';
import { VideoRestarts1765000000000 } from './migrations/1765000000000-video-restarts.js';
import { IdempotencyKeys1767000000000 } from './migrations/1767000000000-idempotency-keys.js';
import { VideoCreations1768000000000 } from './migrations/1768000000000-video-creations.js';
import { VideoMetadata1769000000000 } from './migrations/1769000000000-video-metadata.js';
import { Webhooks1770000000000 } from './migrations/1770000000000-webhooks.js';
import { VisualsAndCaptions1771000000000 } from './migrations/1771000000000-visuals-and-captions.js';
import { ImageCache1771000000001 } from './migrations/1771000000001-image-cache.js';
import { VideoVersion1772000000000 } from './migrations/1772000000000-video-version.js';
import { VideoListKeyset1772000000001 } from './migrations/1772000000001-video-list-keyset.js';

export const ENTITIES = [User, RefreshToken, Prompt, Slide, Voiceover, Video, GenerationCacheEntry];

/** Listed explicitly (no globs) so the same list works from ts sources under Jest and from dist/. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  VideoRestarts1765000000000,
  AccountControls1766000000000,
  IdempotencyKeys1767000000000,
  VideoCreations1768000000000,
  VideoMetadata1769000000000,
  Webhooks1770000000000,
  VisualsAndCaptions1771000000000,
  ImageCache1771000000001,
  VideoVersion1772000000000,
  VideoListKeyset1772000000001,
];

/** Connections per process unless the app derives its own (the worker does, from its concurrency). */
export const DEFAULT_POOL_SIZE = 10;

/** One place that turns a DATABASE_URL into TypeORM options; `synchronize` is never on. */
export function dataSourceOptions(url: string, extra: { migrationsRun?: boolean; poolSize?: number } = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: extra.migrationsRun ?? false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Query errors are not logged here: they reach the caller, which maps or logs them once.
    logging: ['warn', 'migration'],
    poolSize: extra.poolSize ?? DEFAULT_POOL_SIZE,
    // A connection attempt against a dead server fails in seconds, not minutes.
    connectTimeoutMS: 5000,
    applicationName: 'blinked',
  };
}
