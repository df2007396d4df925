// Helpers for this library's specs (not exported from index.ts).
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../data-source.options.js';
import { type Repositories, repositoriesFor, UnitOfWork } from './unit-of-work.js';

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
