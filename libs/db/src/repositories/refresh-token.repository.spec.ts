import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { uniqueViolation } from '../database-errors.js';
import { type Connected, useRepositories } from '@test/support/repositories.js';

describe('RefreshTokenRepository and UserRepository', () => {
  const connected = useRepositories();
  let c: Connected;
  let userId: string;

  beforeAll(async () => {
    c = connected();
    userId = (await c.repos.users.create({ email: 'ada@example.com', username: 'Ada', passwordHash: 'h'.repeat(60) })).id;
  });
  const token = async (familyId: string) => {
    const id = randomUUID();
    await c.repos.refreshTokens.insert({ id, userId, familyId, tokenHash: 'a'.repeat(64), expiresAt: new Date(Date.now() + 86_400_000) });
    return id;
  };

  it('holds a token locked until the rotating transaction commits, so a concurrent use sees it revoked', async () => {
    const familyId = randomUUID();
    const id = await token(familyId);
    const successor = await token(familyId);
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((r) => (releaseFirst = r));
    let firstLocked!: () => void;
    const locked = new Promise<void>((r) => (firstLocked = r));

    const first = c.uow.run(async ({ refreshTokens }) => {
      const row = await refreshTokens.findByIdForUpdate(id);
      firstLocked();
      await firstHolds;
      await refreshTokens.markReplaced(row!.id, successor);
    });
    await locked;
    let secondSaw: { revokedAt: Date | null; replacedBy: string | null } | undefined;
    const second = c.uow.run(async ({ refreshTokens }) => {
      secondSaw = (await refreshTokens.findByIdForUpdate(id))!;
    });
    await delay(200);
    expect(secondSaw).toBeUndefined(); // still waiting for the first transaction's lock
    releaseFirst();
    await Promise.all([first, second]);
    expect(secondSaw!.revokedAt).toBeInstanceOf(Date);
    expect(secondSaw!.replacedBy).toBe(successor);
  });

  it('rolls back everything a failing unit of work wrote', async () => {
    const familyId = randomUUID();
    const id = await token(familyId);
    await expect(
      c.uow.run(async ({ refreshTokens }) => {
        await refreshTokens.revokeFamily(familyId);
        throw new Error('rule broken');
      }),
    ).rejects.toThrow('rule broken');
    expect((await c.repos.refreshTokens.findById(id))!.revokedAt).toBeNull();
  });

  it('revokes the still-valid tokens of one family only', async () => {
    const familyId = randomUUID();
    const [a, b] = [await token(familyId), await token(familyId)];
    await c.repos.refreshTokens.markReplaced(a, b);
    const revokedAt = (await c.repos.refreshTokens.findById(a))!.revokedAt;
    const other = await token(randomUUID());
    await delay(5);
    await c.repos.refreshTokens.revokeFamily(familyId);
    expect((await c.repos.refreshTokens.findById(a))!.revokedAt).toEqual(revokedAt); // the first revocation is kept
    expect((await c.repos.refreshTokens.findById(b))!.revokedAt).toBeInstanceOf(Date);
    expect((await c.repos.refreshTokens.findById(other))!.revokedAt).toBeNull();
  });

  it('finds users case-insensitively and shows the password hash only for signing in', async () => {
    expect((await c.repos.users.findByEmailOrUsername('nobody@example.com', 'ADA')).map((u) => u.id)).toEqual([userId]);
    expect((await c.repos.users.findByEmailOrUsername('ada@example.com', 'someone')).map((u) => u.id)).toEqual([userId]);
    expect((await c.repos.users.findByEmailWithHash('ADA@example.com'))!.passwordHash).toBe('h'.repeat(60));
    expect((await c.repos.users.findById(userId))!.passwordHash).toBeUndefined();
    expect(await c.repos.users.findIdentity(userId)).toEqual({ id: userId, role: 'user' });
    expect(await c.repos.users.findIdentity(randomUUID())).toBeUndefined();
  });

  it('lets a duplicate email reach the caller as a unique violation', async () => {
    const error = await c.repos.users.create({ email: 'ada@example.com', username: 'other', passwordHash: 'x' }).catch((e: unknown) => e);
    expect(uniqueViolation(error)).toBe('users_email_lower_key');
  });
});
