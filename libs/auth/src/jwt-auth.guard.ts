import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';

/** Bearer-token guard whose 401s say what is wrong with the token. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    if (err) throw err instanceof UnauthorizedException || err instanceof ForbiddenException ? err : new UnauthorizedException('Invalid access token');
    if (user) return user;
    const name = (info as { name?: string } | undefined)?.name;
    const message = (info as { message?: string } | undefined)?.message;
    if (name === 'TokenExpiredError') throw new UnauthorizedException('Access token has expired; refresh it');
    if (message === 'No auth token') throw new UnauthorizedException('Missing bearer token in the Authorization header');
    throw new UnauthorizedException('Invalid access token');
  }
}
