import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { UserAccess } from '@app/db';

export const ACCOUNT_DISABLED = 'This account is disabled; contact an administrator';

/** What a guarded handler sees as the caller. */
export interface AuthUser {
  id: string;
  role: string;
  /**
   * When the access token was issued (ms; absent for a signed link). Links signed for this
   * caller are never dated before it, so they pass tokens_valid_after whenever the token does.
   */
  issuedAtMs?: number;
}

/**
 * Whether a credential issued at `issuedAtMs` still counts for this account: not after a
 * password change, a disable or a deletion that set tokens_valid_after later than it.
 */
export function issuedInTime(user: Pick<UserAccess, 'tokensValidAfter'>, issuedAtMs: number | undefined): boolean {
  if (!user.tokensValidAfter) return true;
  return issuedAtMs !== undefined && Number.isFinite(issuedAtMs) && issuedAtMs >= user.tokensValidAfter.getTime();
}

/**
 * The account check every credential passes on every request (access tokens in
 * JwtStrategy, signed media links in MediaAuthGuard), so that a deletion, a disable or a
 * password change stops them all at once and answers alike: 401 for an account that is
 * gone or a credential issued before tokens_valid_after, 403 for a disabled account.
 * `words` are the 401s' messages for that kind of credential.
 */
export function accountAccess(user: UserAccess | undefined, issuedAtMs: number | undefined, words: { gone: string; revoked: string }): AuthUser {
  if (!user) throw new UnauthorizedException(words.gone);
  if (user.disabled) throw new ForbiddenException(ACCOUNT_DISABLED);
  if (!issuedInTime(user, issuedAtMs)) throw new UnauthorizedException(words.revoked);
  return { id: user.id, role: user.role };
}
