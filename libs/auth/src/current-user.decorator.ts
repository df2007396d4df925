import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthUser } from './account-access.js';

/** The authenticated caller, as JwtStrategy.validate returned it. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
