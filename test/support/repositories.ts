// The repositories of @app/db over a real test database, for specs that test them directly.
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions, type Repositories, repositoriesFor, UnitOfWork } from '@app/db';
import { createTestDatabase } from './test-db.js';

export interface Connected {
  repos: Repositories;
  uow: UnitOfWork;
  close(): Promise<void>;
}

/** The repositories over a real database, as DbModule wires them. */
export async function connect(url: string): Promise<Connected> {
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  return { repos: repositoriesFor(ds.manager), uow: new UnitOfWork(ds.manager), close: () => ds.destroy() };
}

/**
 * A fresh migrated database for this spec file, with the repositories over it; created
 * before the file's tests and dropped after them. Read the result inside tests.
 */
export function useRepositories(): () => Connected {
  let connected: Connected | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    connected = await connect(db.url);
  });
  afterAll(async () => {
    await connected?.close();
    await drop?.();
  });
  return () => connected!;
}

/** A user with one queued video (and its prompt). */
export async function seedVideo(repos: Repositories, title = 'Derived title') {
  const name = `u${randomBytes(4).toString('hex')}`;
  const user = await repos.users.create({ email: `${name}@example.com`, username: name, passwordHash: 'x'.repeat(60) });
  const { video, prompt } = await repos.videos.createWithPrompt(
    user.id,
    { title: '', content: 'Why is the sky blue?' },
    { title, slideCount: 3, aspectRatio: '16:9', language: 'en-US', voice: null, theme: 'light' },
  );
  return { user, video, prompt };
}
