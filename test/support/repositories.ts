// The repositories of @app/db over a real test database, for specs that test them directly.
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEFAULT_EVENTS, dataSourceOptions, type Repositories, repositoriesFor, UnitOfWork, type WebhookEventType } from '@app/db';
import { createTestDatabase } from './test-db.js';

export interface Connected {
  repos: Repositories;
  uow: UnitOfWork;
  /** One statement straight to the database, for a spec to arrange or read rows the repositories do not expose. */
  sql<T = any>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** The repositories over a real database, as DbModule wires them. */
export async function connect(url: string): Promise<Connected> {
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  return { repos: repositoriesFor(ds.manager), uow: new UnitOfWork(ds.manager), sql: (text, params) => ds.query(text, params), close: () => ds.destroy() };
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

/** A webhook endpoint of the user's, subscribed to `events` (the default set unless given). */
export async function seedEndpoint(repos: Repositories, userId: string, events: WebhookEventType[] = [...DEFAULT_EVENTS]) {
  const outcome = await repos.webhookEndpoints.createWithinLimit(
    userId,
    { id: randomUUID(), url: 'https://hooks.example.com/blinked', description: '', events, secretSealed: 'v1.iv.sealed' },
    10,
  );
  if (!('created' in outcome)) throw new Error('endpoint refused');
  return outcome.created;
}
