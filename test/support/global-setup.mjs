// Runs once per Jest run, outside Jest's module system (so plain JS and pg only):
// drops the template and any databases an interrupted earlier run left behind.
// The first test file that needs a database rebuilds the template (test-db.ts).
import pg from 'pg';

export default async function globalSetup() {
  const base = new URL(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = '/postgres';
  const client = new pg.Client({ connectionString: base.toString() });
  await client.connect();
  try {
    const stale = await client.query(
      `SELECT datname FROM pg_database WHERE datname LIKE 'blinked\\_t\\_%' OR datname LIKE 'blinked_test_template%'`,
    );
    for (const { datname } of stale.rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
