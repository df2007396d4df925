import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { UserRole } from '@app/db';
import type { AuthUser } from './account-access.js';

/** After JwtAuthGuard: only admins pass (the role comes from the database, not the token). */
@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (user?.role !== UserRole.Admin) throw new ForbiddenException('This needs an administrator account');
    return true;
  }
}
