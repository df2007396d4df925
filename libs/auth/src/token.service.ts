import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { authConfig } from '@app/config';
import { RefreshToken, type User } from '@app/db';
import { decodeRefreshToken, newRefreshToken, secretMatches } from './refresh-token.codec.js';

export interface AccessTokenClaims {
  sub: string;
  role: string;
  typ: 'access';
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Access token lifetime in seconds. */
  expiresIn: number;
}

export const JWT_ALGORITHM = 'HS256' as const;

@Injectable()
export class TokenService {
  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly jwt: JwtService,
    private readonly dataSource: DataSource,
  ) {}

  /** A new pair in a new rotation family (register, login). */
  async issue(user: Pick<User, 'id' | 'role'>): Promise<TokenPair> {
    return this.dataSource.transaction(async (em) => this.pairFor(em, user, randomUUID()));
  }

  /**
   * Rotates a refresh token: the presented one is used up and a new pair of the
   * same family is returned. A token that was already rotated is a stolen copy
   * (or a replay): the whole family is revoked and 401 answered.
   */
  async rotate(presented: string): Promise<TokenPair> {
    const decoded = decodeRefreshToken(presented);
    if (!decoded) throw invalidRefresh();
    const reused = await this.dataSource.transaction(async (em) => {
      // FOR UPDATE serialises two concurrent uses of one token: the second sees it revoked.
      const row = await em
        .getRepository(RefreshToken)
        .createQueryBuilder('t')
        .setLock('pessimistic_write')
        .where('t.id = :id', { id: decoded.id })
        .getOne();
      if (!row || !secretMatches(decoded.secret, row.tokenHash)) throw invalidRefresh();
      if (row.revokedAt) {
        if (row.replacedBy) {
          await this.revokeFamilyWith(em, row.familyId);
          return true;
        }
        throw invalidRefresh();
      }
      if (row.expiresAt.getTime() <= Date.now()) throw new UnauthorizedException('Refresh token has expired; sign in again');
      const user = await em.query<{ id: string; role: string }[]>('SELECT id, role FROM users WHERE id = $1', [row.userId]);
      if (!user.length) throw invalidRefresh();
      const pair = await this.pairFor(em, user[0] as Pick<User, 'id' | 'role'>, row.familyId);
      await em.update(RefreshToken, { id: row.id }, { revokedAt: new Date(), replacedBy: decodeRefreshToken(pair.refreshToken)!.id });
      return pair;
    });
    if (reused === true) {
      throw new UnauthorizedException('Refresh token was already used; all sessions of this sign-in were revoked, sign in again');
    }
    return reused;
  }

  /** Logout: the token's whole family stops working. Unknown or forged tokens get 401. */
  async revokeFamily(presented: string): Promise<void> {
    const decoded = decodeRefreshToken(presented);
    if (!decoded) throw invalidRefresh();
    await this.dataSource.transaction(async (em) => {
      const row = await em.getRepository(RefreshToken).findOne({ where: { id: decoded.id } });
      if (!row || !secretMatches(decoded.secret, row.tokenHash)) throw invalidRefresh();
      await this.revokeFamilyWith(em, row.familyId);
    });
  }

  verifyAccess(token: string): AccessTokenClaims {
    return this.jwt.verify<AccessTokenClaims>(token, { algorithms: [JWT_ALGORITHM] });
  }

  private async revokeFamilyWith(em: EntityManager, familyId: string): Promise<void> {
    await em.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [familyId]);
  }

  private async pairFor(em: EntityManager, user: Pick<User, 'id' | 'role'>, familyId: string): Promise<TokenPair> {
    const refresh = newRefreshToken();
    const expiresAt = new Date(Date.now() + this.config.refreshTokenExpireDays * 86_400_000);
    await em.insert(RefreshToken, { id: refresh.id, userId: user.id, familyId, tokenHash: refresh.hash, expiresAt });
    const expiresIn = this.config.accessTokenExpireMinutes * 60;
    const claims: AccessTokenClaims = { sub: user.id, role: user.role, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims, { algorithm: JWT_ALGORITHM, expiresIn });
    return { accessToken, refreshToken: refresh.token, tokenType: 'Bearer', expiresIn };
  }
}

function invalidRefresh(): UnauthorizedException {
  return new UnauthorizedException('Refresh token is invalid or revoked; sign in again');
}
