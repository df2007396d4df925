import { randomBytes } from 'node:crypto';
import { createDatabase, dropDatabase } from '@app/db';

export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** An empty database of its own for one benchmark run; the api applies the migrations at start. */
export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const name = `blinked_bench_${label}_${randomBytes(4).toString('hex')}`;
  await createDatabase(ADMIN_DATABASE_URL, name);
  const u = new URL(ADMIN_DATABASE_URL);
  u.pathname = `/${name}`;
  return { name, url: u.toString(), drop: () => dropDatabase(ADMIN_DATABASE_URL, name) };
}
