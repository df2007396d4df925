// `npm run db:migrate`: applies pending migrations and exits. Also what the api runs at start.
import { ConfigError, loadDotEnv, parseDatabaseConfig } from '@app/config';
import { runMigrations } from './run-migrations.js';

async function main(): Promise<void> {
  loadDotEnv();
  try {
    const names = await runMigrations(parseDatabaseConfig(process.env).url);
    console.log(names.length ? `applied ${names.length} migration(s): ${names.join(', ')}` : 'database is up to date');
  } catch (e) {
    console.error(`db:migrate failed: ${e instanceof ConfigError ? e.message : (e as Error).message}`);
    process.exitCode = 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
