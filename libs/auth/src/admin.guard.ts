import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { UserRepository, UserRole } from '@app/db';
import type { AuthUser } from './account-access.js';

/**
 * After JwtAuthGuard: only admins pass. The role comes from the database, not the token
 * (whose claims JwtStrategy may go by when Redis vouches for the account), so a promotion
 * or demotion counts at once; admin routes are few and rarely called.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly users: UserRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ user?: AuthUser }>();
    const access = request.user && (await this.users.findAccess(request.user.id));
    if (access?.role !== UserRole.Admin) throw new ForbiddenException('This needs an administrator account');
    request.user = { id: access.id, role: access.role };
    return true;
  }
}
