// Drops this run's template and anything a crashed test file left behind.
import pg from 'pg';
import { adminUrl } from './global-setup.mjs';

export default async function globalTeardown() {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname ~ $1`, [`^blinked_(t|tpl)_${process.pid}(_|$)`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
