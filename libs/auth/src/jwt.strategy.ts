import { createSecretKey } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { authConfig } from '@app/config';
import { accountAccess, type AuthUser } from './account-access.js';
import { AccessRevocations } from './access-revocations.service.js';
import { hs256JwtVerifier } from './hs256-verifier.js';
import { isAccessClaims, JWT_ALGORITHM } from './token.service.js';

// passport-jwt's documented injection point for the verifier (static: this process has one
// JWT strategy). jsonwebtoken's verify was a sixth of the polling route's CPU; see hs256-verifier.ts.
(Strategy as unknown as { JwtVerifier: typeof hs256JwtVerifier }).JwtVerifier = hs256JwtVerifier;

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(authConfig.KEY) config: ConfigType<typeof authConfig>,
    private readonly revocations: AccessRevocations,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // Built once: the verifier takes a KeyObject (a string would be parsed on every request).
      secretOrKey: createSecretKey(Buffer.from(config.secretKey)) as unknown as string,
      // Only HS256: a token with alg "none" or any other algorithm is refused.
      algorithms: [JWT_ALGORITHM],
      ignoreExpiration: false,
    });
  }

  async validate(claims: unknown): Promise<AuthUser> {
    if (!isAccessClaims(claims)) throw new UnauthorizedException('Invalid access token');
    // A deleted or disabled account's tokens, and those issued before a password change, stop
    // working at once, not when they expire. A database that cannot be reached is not a bad
    // token: its error goes on untouched (JwtAuthGuard passes it through) and the api answers
    // 503 with Retry-After. `iat` is in seconds, with milliseconds (see TokenService.pairFor).
    // AccessRevocations answers from Redis, without a database read, when it safely can.
    const iat = (claims as { iat?: unknown }).iat;
    const issuedAtMs = typeof iat === 'number' ? Math.round(iat * 1000) : undefined;
    const user = accountAccess(await this.revocations.find(claims.sub, claims.role), issuedAtMs, {
      gone: 'Invalid access token',
      revoked: 'This access token was revoked by a password change; sign in again',
    });
    return issuedAtMs === undefined ? user : { ...user, issuedAtMs };
  }
}
