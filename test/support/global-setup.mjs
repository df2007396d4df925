// Runs once per Jest run, outside Jest's module system (so plain JS and pg only).
// Databases are named after the run (the Jest parent's pid), so two runs on one
// machine never touch each other's; here we drop only those whose run is gone.
// The first test file that needs a database builds this run's template (test-db.ts).
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export function adminUrl() {
  const base = new URL(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres');
  base.pathname = '/postgres';
  return base.toString();
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/**
 * Private PostgreSQL clusters (test/support/private-postgres.ts) are started with pg_ctl,
 * so they outlive a run that was killed: stop those of runs that are gone (SIGQUIT to the
 * postmaster, an immediate shutdown) and remove their folders.
 */
async function removeOrphanClusters() {
  for (const name of await readdir(tmpdir()).catch(() => [])) {
    const m = /^blinked-pg-(\d+)-/.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    const dir = join(tmpdir(), name);
    const postmaster = Number((await readFile(join(dir, 'data', 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
    // Only that cluster's postmaster: after a reboot the pid may belong to anything.
    const cmdline = postmaster > 0 ? await readFile(`/proc/${postmaster}/cmdline`, 'utf8').catch(() => '') : '';
    if (cmdline.includes(dir)) {
      try {
        process.kill(postmaster, 'SIGQUIT');
      } catch {
        // already gone
      }
    }
    await rm(dir, { recursive: true, force: true });
  }
}

export default async function globalSetup() {
  process.env.BLINKED_TEST_RUN = String(process.pid); // inherited by the test workers
  await removeOrphanClusters();
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname ~ '^blinked_(t|tpl)_[0-9]+'`);
    for (const { datname } of rows) {
      const pid = Number(/^blinked_(?:t|tpl)_(\d+)/.exec(datname)[1]);
      if (pid === process.pid || !alive(pid)) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
