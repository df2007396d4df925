import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Key on POST /videos/generate: one row per (user, key), claimed in the
 * same transaction that creates the video, so two concurrent requests with one key
 * meet at the primary key and make one video (the second waits for the first's commit,
 * then reads its video). A key is kept 24 h; the row goes with its video or its user.
 */
export class IdempotencyKeys1767000000000 implements MigrationInterface {
  name = 'IdempotencyKeys1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        key varchar(200) NOT NULL,
        request_hash char(64) NOT NULL,
        video_id uuid REFERENCES videos(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_video_idx ON idempotency_keys (video_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS idempotency_keys`);
  }
}
