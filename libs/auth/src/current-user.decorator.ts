import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthUser } from './jwt.strategy.js';

/** The authenticated caller, as JwtStrategy.validate returned it. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
