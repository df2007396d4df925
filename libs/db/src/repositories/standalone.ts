import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../data-source.options.js';
import { type Repositories, repositoriesFor } from './unit-of-work.js';

/** For command-line tools outside Nest (`npm run admin`): repositories on one short-lived connection. */
export async function withRepositories<T>(url: string, work: (repositories: Repositories) => Promise<T>): Promise<T> {
  const ds = new DataSource(dataSourceOptions(url, { poolSize: 1 }));
  await ds.initialize();
  try {
    return await work(repositoriesFor(ds.manager));
  } finally {
    await ds.destroy();
  }
}
