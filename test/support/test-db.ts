import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runMigrations } from '@app/db';

/** Where the test suite's databases live; every test file gets its own, cloned from a migrated template. */
export const TEST_DB_BASE = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
/** Set by global-setup.mjs: every database of this run carries it, so concurrent runs never collide. */
const RUN = process.env.BLINKED_TEST_RUN ?? String(process.ppid);
export const TEMPLATE_DB = `blinked_tpl_${RUN}`;

export function urlFor(database: string): string {
  const u = new URL(TEST_DB_BASE);
  u.pathname = `/${database}`;
  return u.toString();
}

export function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  return withClient(urlFor('postgres'), fn);
}

/** One short-lived connection to a database: tests query the rows the apps wrote. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  /** Runs one statement against this database and returns its rows. */
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file (a copy of the template: fast, and isolated). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `blinked_t_${RUN}_${randomBytes(6).toString('hex')}`;
  await ensureTemplate();
  await withAdmin(async (c) => {
    // Two files cloning the template at the same instant can collide on its lock; try again.
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
        return;
      } catch (e) {
        if (attempt >= 20 || !/being accessed by other users/.test((e as Error).message)) throw e;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  });
  return {
    name,
    url: urlFor(name),
    query: (sql, params = []) => withClient(urlFor(name), async (c) => (await c.query(sql, params)).rows),
    drop: () => dropDatabase(name),
  };
}

export function uniquePrefix(): string {
  return `bt-${randomBytes(5).toString('hex')}`;
}

/** The first test file of a run builds the migrated template; the others wait on the lock, then find it. */
async function ensureTemplate(): Promise<void> {
  await withAdmin(async (c) => {
    await c.query('SELECT pg_advisory_lock(727274)');
    try {
      const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE_DB]);
      if (found.rowCount) return;
      await c.query(`CREATE DATABASE ${TEMPLATE_DB}_building`);
      await runMigrations(urlFor(`${TEMPLATE_DB}_building`));
      // Renamed only once complete, so a half-migrated template is never cloned.
      await c.query(`ALTER DATABASE ${TEMPLATE_DB}_building RENAME TO ${TEMPLATE_DB}`);
    } catch (e) {
      await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}_building WITH (FORCE)`);
      throw e;
    } finally {
      await c.query('SELECT pg_advisory_unlock(727274)');
    }
  });
}

/**
 * Drops a test database. A pool that was just closed has sent its goodbyes, but the
 * server may not have read them yet: forcing the drop then kills those sessions, and the
 * closing pool reports "terminating connection due to administrator command". So the
 * drop first waits (briefly, on the server's own view) for the sessions to end; FORCE
 * is for what a failed test left open.
 */
async function dropDatabase(name: string): Promise<void> {
  await withAdmin(async (c) => {
    for (let i = 0; i < 40; i++) {
      const { rows } = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}
