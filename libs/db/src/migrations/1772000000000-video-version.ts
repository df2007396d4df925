import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * videos.version: a counter raised by a trigger on every UPDATE of a row, whoever writes
 * it (api, worker, an operator's SQL). The snapshots of a video's public state that the
 * polling route reads from Redis carry it, and a snapshot only replaces an older one
 * (video-snapshots.ts), so two writers or a late progress write never bring an older
 * state back; it is also the first part of the route's ETag.
 */
export class VideoVersion1772000000000 implements MigrationInterface {
  name = 'VideoVersion1772000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE videos ADD COLUMN version bigint NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE FUNCTION videos_raise_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.version := OLD.version + 1;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER videos_version BEFORE UPDATE ON videos FOR EACH ROW EXECUTE FUNCTION videos_raise_version()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER videos_version ON videos`);
    await q.query(`DROP FUNCTION videos_raise_version()`);
    await q.query(`ALTER TABLE videos DROP COLUMN version`);
  }
}
