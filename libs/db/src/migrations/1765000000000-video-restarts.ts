import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many times the worker's reconciler re-enqueued a video whose jobs Redis lost,
 * so a video that keeps losing them fails instead of looping; and the index the
 * reconciler's periodic look-up ("working, unchanged for a while") uses.
 */
export class VideoRestarts1765000000000 implements MigrationInterface {
  name = 'VideoRestarts1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE videos ADD COLUMN restarts smallint NOT NULL DEFAULT 0 CHECK (restarts >= 0)`);
    // Partial: only working videos, a small fraction of the table once it has history.
    await q.query(`
      CREATE INDEX videos_working_updated_idx ON videos (updated_at)
        WHERE status IN ('queued', 'generating_slides', 'generating_voice', 'rendering')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS videos_working_updated_idx`);
    await q.query(`ALTER TABLE videos DROP COLUMN IF EXISTS restarts`);
  }
}
