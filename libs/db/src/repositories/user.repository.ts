import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { User } from '../entities/user.entity.js';

/** Who a token speaks for: enough to authorise, nothing more. */
export type UserIdentity = Pick<User, 'id' | 'role'>;

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

  findById(id: string): Promise<User | null> {
    return this.manager.findOne(User, { where: { id } });
  }

  async findIdentity(id: string): Promise<UserIdentity | undefined> {
    const rows = await this.manager.query<UserIdentity[]>('SELECT id, role FROM users WHERE id = $1', [id]);
    return rows[0];
  }
}
