import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { createTestDatabase, type TestDatabase, withClient } from '@test/support/test-db.js';
import { waitFor } from '@test/support/wait.js';
import { dataSourceOptions } from '../data-source.options.js';
import { isDatabaseUnavailable } from '../database-errors.js';
import { CacheKind } from '../entities/generation-cache.entity.js';
import { GenerationCacheRepository } from './generation-cache.repository.js';

describe('GenerationCacheRepository.withLock', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let repository: GenerationCacheRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await new DataSource(dataSourceOptions(db.url)).initialize();
    repository = new GenerationCacheRepository(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const connectedRunners = () => (ds.driver as PostgresDriver).connectedQueryRunners.length;
  /** The sessions holding an advisory lock in this database. */
  const lockHolders = () =>
    db.query<{ pid: number }>(`SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = $1`, [
      db.name,
    ]);

  it('stores and reads under the lock, and frees it afterwards', async () => {
    await repository.withLock('42', (cache) => cache.store(CacheKind.Deck, 'k1', { provider: 'p', model: 'm', payload: { a: 1 } }));
    const found = await repository.withLock('42', (cache) => cache.lookup(CacheKind.Deck, 'k1'));
    expect(found).toEqual({ payload: { a: 1 }, storageKey: null });
    expect(await lockHolders()).toEqual([]);
  });

  it("says the database went away, not 'Query runner already released', when the session dies while the work waits", async () => {
    let resume!: () => void;
    const providerAnswers = new Promise<void>((r) => (resume = r));
    const attempt = repository.withLock('43', async (cache) => {
      await providerAnswers; // the provider call, with the session idle
      await cache.store(CacheKind.Deck, 'k2', { provider: 'p', model: 'm', payload: {} });
    });
    const [holder] = await waitFor(lockHolders, (rows) => rows.length === 1, 10_000, 'the lock to be taken');
    // What a server shutdown does to each session (FATAL 57P01), here to this one alone.
    await withClient(db.url, (c) => c.query('SELECT pg_terminate_backend($1)', [holder!.pid]));
    await waitFor(
      async () => connectedRunners(),
      (n) => n === 0,
      10_000,
      'TypeORM to release the broken connection',
    );
    resume();

    const error = (await attempt.catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^the database connection was lost: terminating connection due to administrator command/);
    expect(isDatabaseUnavailable(error)).toBe(true);
    // The lock went with the session; the next holder gets it at once.
    await expect(repository.withLock('43', (cache) => cache.lookup(CacheKind.Deck, 'k2'))).resolves.toBeUndefined();
  });
});
