import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a shared service needs to know per account: whether an admin disabled it, its own
 * generation quotas where an admin overrode the defaults (NULL = the deployment's
 * QUOTA_* setting), and from when its access tokens count (a password change, a
 * disable or a deletion makes tokens issued before it stop at once, not at expiry).
 */
export class AccountControls1766000000000 implements MigrationInterface {
  name = 'AccountControls1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN disabled boolean NOT NULL DEFAULT false,
        ADD COLUMN quota_concurrent integer CHECK (quota_concurrent >= 0),
        ADD COLUMN quota_daily integer CHECK (quota_daily >= 0),
        ADD COLUMN tokens_valid_after timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        DROP COLUMN IF EXISTS tokens_valid_after,
        DROP COLUMN IF EXISTS quota_daily,
        DROP COLUMN IF EXISTS quota_concurrent,
        DROP COLUMN IF EXISTS disabled`);
  }
}
