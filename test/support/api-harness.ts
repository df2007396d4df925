import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestDatabase, type TestDatabase, uniquePrefix } from './test-db.js';
import { HttpClient } from './http.js';
import { CapturedOutput } from './captured-output.js';

export const TEST_SECRET = 'test-secret-key-that-is-long-enough-0123456789';

export const GENEROUS_LIMITS: Record<string, string> = {
  RATE_LIMIT_PER_MINUTE: '100000',
  LOGIN_MAX_FAILURES: '1000',
  LOGIN_MAX_FAILURES_PER_IP: '100000',
  REGISTER_PER_IP_PER_HOUR: '100000',
  QUOTA_CONCURRENT_VIDEOS: '1000',
  QUOTA_DAILY_VIDEOS: '100000',
};

export interface ApiHarness {
  app: NestFastifyApplication;
  http: HttpClient;
  db: TestDatabase;
  env: Record<string, string>;
  /** What the api logged, JSON lines at LOG_LEVEL (printed only if a test of the file fails). */
  output: CapturedOutput;
  close(): Promise<void>;
}

/**
 * Starts the real api (the same factory main.ts uses) on a random port with
 * its own database and queue prefix. `extraEnv` is applied before the app
 * reads its configuration.
 */
export async function startApi(extraEnv: Record<string, string> = {}, options: { databaseUrl?: (url: string) => string } = {}): Promise<ApiHarness> {
  const db = await createTestDatabase();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    // The api's own connection; `db` (what tests query) always goes straight to the database.
    DATABASE_URL: options.databaseUrl ? options.databaseUrl(db.url) : db.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: uniquePrefix(),
    SECRET_KEY: TEST_SECRET,
    BCRYPT_COST: '4',
    LOG_LEVEL: 'error',
    // Generous limits, so suites that sign in, fail and submit a lot (the fuzz sends 2,400
    // requests as one user) are never throttled; test/limits.e2e-spec.ts sets them low.
    ...GENEROUS_LIMITS,
    ...extraEnv,
  };
  Object.assign(process.env, env);
  const { createApiApp } = await import('../../apps/api/src/api.factory.js');
  // The api's log (503s while Redis is down, say) goes to a buffer, not the test output.
  const output = new CapturedOutput('api log');
  const app = await output.whileStarting(async () => {
    const created = await createApiApp({ logDestination: output });
    await created.listen(0, '127.0.0.1');
    return created;
  });
  const address = app.getHttpServer().address() as { port: number };
  const http = new HttpClient(`http://127.0.0.1:${address.port}`);
  return {
    app,
    http,
    db,
    env,
    output,
    close: async () => {
      try {
        await app.close();
        await db.drop();
      } finally {
        output.flushIfFailed();
      }
    },
  };
}
