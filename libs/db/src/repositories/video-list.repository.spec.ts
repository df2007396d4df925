import { DataSource, type Logger } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@test/support/test-db.js';
import { dataSourceOptions } from '../data-source.options.js';
import { VideoStatus } from '../entities/video.entity.js';
import { VideoRepository } from './video.repository.js';

/**
 * The plans of the keyset pages: for a user with thousands of videos among other users',
 * PostgreSQL seeks on the index that matches the order (no Sort of the user's rows), with
 * and without the status filter. The SQL is the one the repository really sends (captured
 * by a TypeORM logger), explained with its parameters.
 */
describe('VideoRepository.listForUser plans', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let videos: VideoRepository;
  let userId: string;
  const sent: { sql: string; params: unknown[] }[] = [];
  const logger: Logger = {
    logQuery: (sql, params) => void sent.push({ sql, params: (params as unknown[] | undefined) ?? [] }),
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource({ ...dataSourceOptions(db.url), logger });
    await ds.initialize();
    videos = new VideoRepository(ds.manager);
    // Six users, the first with 3,000 videos; statuses spread, timestamps distinct and scattered.
    await ds.query(`
      WITH u AS (
        INSERT INTO users (email, username, password_hash)
        SELECT 'plan' || g || '@example.com', 'plan' || g, repeat('x', 60) FROM generate_series(0, 5) g RETURNING id, username
      ), p AS (
        INSERT INTO prompts (user_id, title, content)
        SELECT u.id, '', 'p' || g FROM u, generate_series(1, 3000) g WHERE u.username = 'plan0' OR g <= 500 RETURNING id, user_id, content
      )
      INSERT INTO videos (user_id, prompt_id, title, slide_count, status, created_at)
      SELECT p.user_id, p.id, 't', 3,
             (ARRAY['completed', 'failed', 'queued'])[substr(p.content, 2)::int % 3 + 1],
             timestamptz '2026-06-01Z' - (substr(p.content, 2)::int * 7919 % 3001) * interval '1 minute 1.000001 second'
        FROM p`);
    await ds.query('ANALYZE videos');
    [{ id: userId }] = await ds.query(`SELECT id FROM users WHERE username = 'plan0'`);
  }, 60_000);

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  async function planOf(status?: VideoStatus): Promise<string> {
    const first = await videos.listForUser(userId, { limit: 20, status, page: 1 });
    expect(first.next).not.toBeNull();
    sent.length = 0;
    const deep = await videos.listForUser(userId, { limit: 20, status, after: first.next! });
    expect(deep.total).toBe(first.total);
    expect(deep.items).toHaveLength(20);
    // The page's query, not the count beside it.
    const select = sent.find((q) => q.sql.startsWith('SELECT') && q.sql.includes('ORDER BY'))!;
    const rows = await ds.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${select.sql}`, select.params);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  it('seeks on videos_user_created_idx without a status filter', async () => {
    const plan = await planOf();
    expect(plan).toMatch(/Index Scan using videos_user_created_idx on videos/);
    // The cursor is a bound of the scan (a seek), not a filter over the rows before it.
    expect(plan).toMatch(/Index Cond: .*ROW\(created_at, id\) < ROW\(/);
    expect(plan).not.toMatch(/Sort/);
  });

  it('seeks on videos_user_status_created_id_idx with one', async () => {
    const plan = await planOf(VideoStatus.Failed);
    expect(plan).toMatch(/Index Scan using videos_user_status_created_id_idx on videos/);
    expect(plan).toMatch(/Index Cond: .*status.*ROW\(created_at, id\) < ROW\(/);
    expect(plan).not.toMatch(/Sort/);
  });
});
