import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { authConfig } from '@app/config';
import { RefreshTokenRepository, type Repositories, UnitOfWork, type UserIdentity } from '@app/db';
import { ACCOUNT_DISABLED } from './account-access.js';
import { AccessRevocations } from './access-revocations.service.js';
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

/**
 * The shape a verified access token must have. `exp` is required: the JWT
 * library checks it only when present, so a correctly signed token without one
 * would otherwise be accepted forever.
 */
export function isAccessClaims(claims: unknown): claims is AccessTokenClaims & { exp: number } {
  const c = claims as (Partial<AccessTokenClaims> & { exp?: unknown }) | null;
  return c?.typ === 'access' && typeof c.sub === 'string' && typeof c.exp === 'number' && Number.isFinite(c.exp);
}

@Injectable()
export class TokenService {
  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly jwt: JwtService,
    private readonly tokens: RefreshTokenRepository,
    private readonly uow: UnitOfWork,
    private readonly revocations: AccessRevocations,
  ) {}

  /** A new pair in a new rotation family (register, login). */
  async issue(user: UserIdentity): Promise<TokenPair> {
    return this.pairFor(this.tokens, user, randomUUID());
  }

  /**
   * Rotates a refresh token: the presented one is used up and a new pair of the
   * same family is returned. A token that was already rotated is a stolen copy
   * (or a replay): the whole family is revoked and 401 answered.
   */
  async rotate(presented: string): Promise<TokenPair> {
    const decoded = decodeRefreshToken(presented);
    if (!decoded) throw invalidRefresh();
    const reused = await this.uow.run(async ({ refreshTokens, users }) => {
      // Locked until commit: two concurrent uses of one token are serialised, the second sees it revoked.
      const row = await refreshTokens.findByIdForUpdate(decoded.id);
      if (!row || !secretMatches(decoded.secret, row.tokenHash)) throw invalidRefresh();
      if (row.revokedAt) {
        if (row.replacedBy) {
          await refreshTokens.revokeFamily(row.familyId);
          return true;
        }
        throw invalidRefresh();
      }
      if (row.expiresAt.getTime() <= Date.now()) throw new UnauthorizedException('Refresh token has expired; sign in again');
      const user = await users.findAccess(row.userId);
      if (!user) throw invalidRefresh();
      if (user.disabled) throw new ForbiddenException(ACCOUNT_DISABLED);
      const pair = await this.pairFor(refreshTokens, user, row.familyId);
      await refreshTokens.markReplaced(row.id, decodeRefreshToken(pair.refreshToken)!.id);
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
    await this.uow.run(async ({ refreshTokens }) => {
      const row = await refreshTokens.findById(decoded.id);
      if (!row || !secretMatches(decoded.secret, row.tokenHash)) throw invalidRefresh();
      await refreshTokens.revokeFamily(row.familyId);
    });
  }

  /**
   * Every token of the user stops at once: refresh tokens are revoked and access tokens
   * issued before `at` are refused by JwtStrategy. `extra` runs in the same transaction
   * (the password change that is the reason).
   */
  async revokeAll(userId: string, at = new Date(), extra?: (repositories: Repositories) => Promise<void>): Promise<void> {
    await this.uow.run(async (repositories) => {
      await extra?.(repositories);
      await repositories.users.invalidateTokens(userId, at);
      await repositories.refreshTokens.revokeAllForUser(userId);
    });
    // After the commit, so the record says what the database now says.
    await this.revocations.publish(userId);
  }

  verifyAccess(token: string): AccessTokenClaims {
    const claims: unknown = this.jwt.verify(token, { algorithms: [JWT_ALGORITHM] });
    if (!isAccessClaims(claims)) throw new UnauthorizedException('Invalid access token');
    return claims;
  }

  /** `tokens` is the transaction's repository during a rotation, so the new token commits with the old one's revocation. */
  private async pairFor(tokens: RefreshTokenRepository, user: UserIdentity, familyId: string): Promise<TokenPair> {
    const refresh = newRefreshToken();
    const expiresAt = new Date(Date.now() + this.config.refreshTokenExpireDays * 86_400_000);
    await tokens.insert({ id: refresh.id, userId: user.id, familyId, tokenHash: refresh.hash, expiresAt });
    const expiresIn = this.config.accessTokenExpireMinutes * 60;
    // iat with milliseconds (JWT allows a fractional NumericDate): tokens issued in the same
    // second as a password change must fall on the right side of tokens_valid_after.
    const claims: AccessTokenClaims & { iat: number } = { sub: user.id, role: user.role, typ: 'access', iat: Date.now() / 1000 };
    const accessToken = await this.jwt.signAsync(claims, { algorithm: JWT_ALGORITHM, expiresIn });
    return { accessToken, refreshToken: refresh.token, tokenType: 'Bearer', expiresIn };
  }
}

function invalidRefresh(): UnauthorizedException {
  return new UnauthorizedException('Refresh token is invalid or revoked; sign in again');
}
