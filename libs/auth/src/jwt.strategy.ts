import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { authConfig } from '@app/config';
import { UserRepository } from '@app/db';
import { ACCOUNT_DISABLED, isAccessClaims, issuedInTime, JWT_ALGORITHM } from './token.service.js';

/** What a guarded handler sees as the caller. */
export interface AuthUser {
  id: string;
  role: string;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(authConfig.KEY) config: ConfigType<typeof authConfig>,
    private readonly users: UserRepository,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.secretKey,
      // Only HS256: a token with alg "none" or any other algorithm is refused.
      algorithms: [JWT_ALGORITHM],
      ignoreExpiration: false,
    });
  }

  async validate(claims: unknown): Promise<AuthUser> {
    if (!isAccessClaims(claims)) throw new UnauthorizedException('Invalid access token');
    // A deleted account's tokens stop working at once, not when they expire. A database
    // that cannot be reached is not a bad token: its error goes on untouched (JwtAuthGuard
    // passes it through) and the api answers 503 with Retry-After.
    const user = await this.users.findAccess(claims.sub);
    if (!user) throw new UnauthorizedException('Invalid access token');
    if (user.disabled) throw new ForbiddenException(ACCOUNT_DISABLED);
    // A password change (or a disable) cuts off every token issued before it, not at expiry.
    if (!issuedInTime(user, (claims as { iat?: unknown }).iat)) {
      throw new UnauthorizedException('This access token was revoked by a password change; sign in again');
    }
    return { id: user.id, role: user.role };
  }
}
