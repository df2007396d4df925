import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DataSource } from 'typeorm';
import { authConfig } from '@app/config';
import { type AccessTokenClaims, JWT_ALGORITHM } from './token.service.js';

/** What a guarded handler sees as the caller. */
export interface AuthUser {
  id: string;
  role: string;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(authConfig.KEY) config: ConfigType<typeof authConfig>,
    private readonly dataSource: DataSource,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.secretKey,
      // Only HS256: a token with alg "none" or any other algorithm is refused.
      algorithms: [JWT_ALGORITHM],
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<AuthUser> {
    if (claims.typ !== 'access' || typeof claims.sub !== 'string') throw new UnauthorizedException('Invalid access token');
    // A deleted account's tokens stop working at once, not when they expire.
    const rows = await this.dataSource.query<{ id: string; role: string }[]>('SELECT id, role FROM users WHERE id = $1', [claims.sub]);
    if (!rows.length) throw new UnauthorizedException('Invalid access token');
    return { id: rows[0]!.id, role: rows[0]!.role };
  }
}
