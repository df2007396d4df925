import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * generation_cache gains the kind `image`: pictures from remote sources (Gemini, OpenAI,
 * Pexels) are stored once, content-addressed like audio, so the same slide never pays for
 * its picture twice. The inline CHECK of the initial schema has PostgreSQL's default name.
 */
export class ImageCache1771000000001 implements MigrationInterface {
  name = 'ImageCache1771000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE generation_cache
        DROP CONSTRAINT generation_cache_kind_check,
        ADD CONSTRAINT generation_cache_kind_check CHECK (kind IN ('deck', 'audio', 'image'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM generation_cache WHERE kind = 'image'`);
    await q.query(`
      ALTER TABLE generation_cache
        DROP CONSTRAINT generation_cache_kind_check,
        ADD CONSTRAINT generation_cache_kind_check CHECK (kind IN ('deck', 'audio'))`);
  }
}
