import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { authConfig } from '@app/config';
import { UserRepository } from '@app/db';
import { isAccessClaims, JWT_ALGORITHM } from './token.service.js';

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
    const user = await this.users.findIdentity(claims.sub);
    if (!user) throw new UnauthorizedException('Invalid access token');
    return { id: user.id, role: user.role };
  }
}
