import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { isDatabaseUnavailable } from '@app/db';

/** Bearer-token guard whose 401s say what is wrong with the token. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    // The user lookup could not reach the database: a 503 (http-error.filter), not a 401 that logs the client out.
    if (err && isDatabaseUnavailable(err)) throw err;
    if (err) throw err instanceof UnauthorizedException || err instanceof ForbiddenException ? err : new UnauthorizedException('Invalid access token');
    if (user) return user;
    const name = (info as { name?: string } | undefined)?.name;
    const message = (info as { message?: string } | undefined)?.message;
    if (name === 'TokenExpiredError') throw new UnauthorizedException('Access token has expired; refresh it');
    if (message === 'No auth token') throw new UnauthorizedException('Missing bearer token in the Authorization header');
    throw new UnauthorizedException('Invalid access token');
  }
}
