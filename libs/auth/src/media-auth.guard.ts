import { type CanActivate, type ExecutionContext, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import type { AuthUser } from './jwt.strategy.js';
import { type SignedQuery, SignedUrlService } from './signed-url.service.js';

const SIGNED_URL_OK = 'blinked:signed-url-ok';

/** Marks a GET route whose URL may carry a signature instead of a bearer token. */
export const AllowSignedUrl = () => SetMetadata(SIGNED_URL_OK, true);

/**
 * Bearer token as usual; on routes marked @AllowSignedUrl, a valid signed URL
 * (from a video resource's links) is accepted instead, so browsers can play,
 * seek and stream without custom headers.
 */
@Injectable()
export class MediaAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly signer: SignedUrlService,
    private readonly jwt: JwtAuthGuard,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ url: string; query: SignedQuery; headers: Record<string, unknown>; user?: AuthUser }>();
    const signed = this.reflector.get<boolean>(SIGNED_URL_OK, context.getHandler());
    if (signed && request.query?.sig !== undefined && !request.headers.authorization) {
      const path = request.url.split('?')[0]!;
      const userId = this.signer.verify(path, request.query);
      if (!userId) throw new UnauthorizedException('This link is invalid or has expired; fetch the video again for fresh links');
      request.user = { id: userId, role: 'user' };
      return true;
    }
    return (await this.jwt.canActivate(context)) as boolean;
  }
}
