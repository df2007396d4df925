import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.options.js';

/** Applies pending migrations to the database at `url`; resolves the names applied. */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
