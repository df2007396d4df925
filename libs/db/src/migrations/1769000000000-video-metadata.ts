import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A client's own labels on a video (POST /videos/generate `metadata`: at most 16 string
 * keys, 2 KB in all, checked by the api), returned in the video resource and in every
 * webhook event so the client can correlate without keeping our ids. Never queried by
 * its contents, so no index; '{}' for every video made before.
 */
export class VideoMetadata1769000000000 implements MigrationInterface {
  name = 'VideoMetadata1769000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE videos ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE videos DROP COLUMN IF EXISTS metadata`);
  }
}
