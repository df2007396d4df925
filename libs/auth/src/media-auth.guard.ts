import { type CanActivate, type ExecutionContext, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UserRepository } from '@app/db';
import { accountAccess, type AuthUser } from './account-access.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { type SignedQuery, SignedUrlService } from './signed-url.service.js';

const SIGNED_URL_OK = 'blinked:signed-url-ok';

/** Marks a GET route whose URL may carry a signature instead of a bearer token. */
export const AllowSignedUrl = () => SetMetadata(SIGNED_URL_OK, true);

const INVALID_LINK = 'This link is invalid or has expired; fetch the video again for fresh links';

/**
 * Bearer token as usual; on routes marked @AllowSignedUrl, a valid signed URL
 * (from a video resource's links) is accepted instead, so browsers can play,
 * seek and stream without custom headers. A link answers for its account as a token
 * does: it stops at once when the account is deleted (401), disabled (403), or its
 * password changed after the link was issued (401).
 */
@Injectable()
export class MediaAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly signer: SignedUrlService,
    private readonly jwt: JwtAuthGuard,
    private readonly users: UserRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ url: string; query: SignedQuery; headers: Record<string, unknown>; user?: AuthUser }>();
    const signed = this.reflector.get<boolean>(SIGNED_URL_OK, context.getHandler());
    if (signed && request.query?.sig !== undefined && !request.headers.authorization) {
      const path = request.url.split('?')[0]!;
      const link = this.signer.verify(path, request.query);
      if (!link) throw new UnauthorizedException(INVALID_LINK);
      // An unreachable database is not a bad link: its error goes on, and the api answers 503.
      request.user = accountAccess(await this.users.findAccess(link.userId), link.issuedAt.getTime(), {
        gone: INVALID_LINK,
        revoked: 'This link was issued before a password change; sign in again and fetch the video for fresh links',
      });
      return true;
    }
    return (await this.jwt.canActivate(context)) as boolean;
  }
}
