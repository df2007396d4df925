import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keyset paging of GET /videos seeks on (created_at, id) < (cursor) in created_at DESC,
 * id DESC order. Without a status filter videos_user_created_idx (user_id, created_at DESC,
 * id DESC) already fits; with one, the old (user_id, status, created_at DESC) index lacked
 * the id tie-break, so PostgreSQL had to sort equal timestamps and could not seek on the
 * pair. The new index has it, and makes the old one redundant (same leading columns).
 */
export class VideoListKeyset1772000000001 implements MigrationInterface {
  name = 'VideoListKeyset1772000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX videos_user_status_created_id_idx ON videos (user_id, status, created_at DESC, id DESC)`);
    await q.query(`DROP INDEX videos_user_status_created_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX videos_user_status_created_idx ON videos (user_id, status, created_at DESC)`);
    await q.query(`DROP INDEX videos_user_status_created_id_idx`);
  }
}
