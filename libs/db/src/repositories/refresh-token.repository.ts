import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RefreshToken } from '../entities/refresh-token.entity.js';

export type NewRefreshToken = Pick<RefreshToken, 'id' | 'userId' | 'familyId' | 'tokenHash' | 'expiresAt'>;

/**
 * Primitives of refresh-token rotation; the rules (reuse means theft, expiry) live
 * in TokenService. findByIdForUpdate only locks inside a transaction: use it
 * through UnitOfWork.run.
 */
@Injectable()
export class RefreshTokenRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(token: NewRefreshToken): Promise<void> {
    await this.manager.insert(RefreshToken, token);
  }

  findById(id: string): Promise<RefreshToken | null> {
    return this.manager.findOne(RefreshToken, { where: { id } });
  }

  /** FOR UPDATE: two concurrent uses of one token are serialised, the second sees it revoked. */
  findByIdForUpdate(id: string): Promise<RefreshToken | null> {
    return this.manager.createQueryBuilder(RefreshToken, 't').setLock('pessimistic_write').where('t.id = :id', { id }).getOne();
  }

  /** The token is used up: revoked, and pointing at its successor so a second use is detectable. */
  async markReplaced(id: string, successorId: string): Promise<void> {
    await this.manager.update(RefreshToken, { id }, { revokedAt: new Date(), replacedBy: successorId });
  }

  /** Every still-valid token of the family stops working. */
  async revokeFamily(familyId: string): Promise<void> {
    await this.manager.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [familyId]);
  }

  /** Every still-valid token of the user stops working (password change, disable, deletion). */
  async revokeAllForUser(userId: string): Promise<void> {
    await this.manager.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
  }
}
