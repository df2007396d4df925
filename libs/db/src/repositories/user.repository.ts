import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { User, type UserRole } from '../entities/user.entity.js';

/** Who a token speaks for: enough to authorise, nothing more. */
export type UserIdentity = Pick<User, 'id' | 'role'>;

/** What deciding whether a token still counts needs: the identity, the disabled flag and the cut-off. */
export type UserAccess = Pick<User, 'id' | 'role' | 'disabled' | 'tokensValidAfter'>;

/** What an admin sees of an account: the user and what they have made. */
export interface UserWithUsage {
  user: User;
  videosTotal: number;
  videosInProgress: number;
  videosLast24h: number;
}

/** What an admin may change; a quota of null means the deployment's default. */
export type AdminUserChanges = Partial<Pick<User, 'role' | 'disabled' | 'quotaConcurrent' | 'quotaDaily' | 'tokensValidAfter'>>;

@Injectable()
export class UserRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Accounts that already hold this email (given lower-cased, as stored) or username (any case). */
  findByEmailOrUsername(email: string, username: string): Promise<User[]> {
    return this.manager
      .createQueryBuilder(User, 'u')
      .where('lower(u.email) = :email OR lower(u.username) = lower(:username)', { email, username })
      .getMany();
  }

  /** Throws the driver's unique violation when the email or username is taken (see uniqueViolation). */
  create(user: Pick<User, 'email' | 'username' | 'passwordHash'>): Promise<User> {
    return this.manager.save(this.manager.create(User, user));
  }

  /** The account with its password hash (never selected otherwise), for signing in. */
  findByEmailWithHash(email: string): Promise<User | null> {
    return this.manager.createQueryBuilder(User, 'u').addSelect('u.passwordHash').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  /** The account with its password hash, for changes that need the current password. */
  findByIdWithHash(id: string): Promise<User | null> {
    return this.manager.createQueryBuilder(User, 'u').addSelect('u.passwordHash').where('u.id = :id', { id }).getOne();
  }

  findById(id: string): Promise<User | null> {
    return this.manager.findOne(User, { where: { id } });
  }

  async findIdentity(id: string): Promise<UserIdentity | undefined> {
    const rows = await this.manager.query<UserIdentity[]>('SELECT id, role FROM users WHERE id = $1', [id]);
    return rows[0];
  }

  /** The identity with what decides whether its tokens still count. */
  async findAccess(id: string): Promise<UserAccess | undefined> {
    const rows = await this.manager.query<{ id: string; role: UserRole; disabled: boolean; tokens_valid_after: Date | null }[]>(
      'SELECT id, role, disabled, tokens_valid_after FROM users WHERE id = $1',
      [id],
    );
    const r = rows[0];
    return r && { id: r.id, role: r.role, disabled: r.disabled, tokensValidAfter: r.tokens_valid_after };
  }

  /** Throws the driver's unique violation when the username is taken. */
  async updateProfile(id: string, changes: Partial<Pick<User, 'username' | 'avatarUrl'>>): Promise<void> {
    if (Object.keys(changes).length) await this.manager.update(User, { id }, changes);
  }

  /** New password; access tokens issued before `validAfter` stop counting. */
  async changePassword(id: string, passwordHash: string, validAfter: Date): Promise<void> {
    await this.manager.update(User, { id }, { passwordHash, tokensValidAfter: validAfter });
  }

  /** Access tokens issued before `at` stop counting (deletion, disable). */
  async invalidateTokens(id: string, at: Date): Promise<void> {
    await this.manager.update(User, { id }, { tokensValidAfter: at });
  }

  /** Deletes the account; its refresh tokens, prompts and video rows go by cascade. */
  async deleteById(id: string): Promise<void> {
    await this.manager.query('DELETE FROM users WHERE id = $1', [id]);
  }

  /** Oldest first (a stable order for paging), each with counts of its videos. */
  async listWithUsage(page: { page: number; limit: number }): Promise<{ items: UserWithUsage[]; total: number }> {
    const users = await this.manager.find(User, { order: { createdAt: 'ASC', id: 'ASC' }, skip: (page.page - 1) * page.limit, take: page.limit });
    const total = await this.manager.count(User);
    return { items: await this.usageOf(users), total };
  }

  private async usageOf(users: User[]): Promise<UserWithUsage[]> {
    if (!users.length) return [];
    const counts = await this.manager.query<{ user_id: string; total: number; in_progress: number; last_24h: number }[]>(
      `SELECT user_id, count(*)::int AS total,
              count(*) FILTER (WHERE status IN ('queued', 'generating_slides', 'generating_voice', 'rendering'))::int AS in_progress,
              count(*) FILTER (WHERE created_at > now() - interval '24 hours')::int AS last_24h
         FROM videos WHERE user_id = ANY($1::uuid[]) GROUP BY user_id`,
      [users.map((u) => u.id)],
    );
    const byUser = new Map(counts.map((c) => [c.user_id, c]));
    return users.map((user) => {
      const c = byUser.get(user.id);
      return { user, videosTotal: c?.total ?? 0, videosInProgress: c?.in_progress ?? 0, videosLast24h: c?.last_24h ?? 0 };
    });
  }

  async findWithUsage(id: string): Promise<UserWithUsage | undefined> {
    const user = await this.findById(id);
    return user ? (await this.usageOf([user]))[0] : undefined;
  }

  /** False when there is no such user. */
  async adminUpdate(id: string, changes: AdminUserChanges): Promise<boolean> {
    if (!Object.keys(changes).length) return (await this.findById(id)) !== null;
    const result = await this.manager.update(User, { id }, changes);
    return (result.affected ?? 0) > 0;
  }

  /** For the admin CLI; false when no account has this email. */
  async setRoleByEmail(email: string, role: UserRole): Promise<boolean> {
    const [rows] = await this.manager.query<[{ id: string }[], number]>(
      'UPDATE users SET role = $2, updated_at = now() WHERE lower(email) = lower($1) RETURNING id',
      [email, role],
    );
    return rows.length > 0;
  }
}
