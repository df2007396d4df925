import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The daily quota counts creations, not rows: counted from the videos table, a user who
 * deletes finished videos would get their slots back and could create without end. One
 * row per video created, kept 24 h (older rows are dropped by the next creation of that
 * user), with no foreign key to the video, so deleting it changes nothing here. Rows go
 * with the user's account.
 */
export class VideoCreations1768000000000 implements MigrationInterface {
  name = 'VideoCreations1768000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE video_creations (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX video_creations_user_created_idx ON video_creations (user_id, created_at)`);
    // Videos made before this migration count as they did.
    await q.query(
      `INSERT INTO video_creations (user_id, created_at) SELECT user_id, created_at FROM videos WHERE created_at > now() - interval '24 hours'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS video_creations`);
  }
}
