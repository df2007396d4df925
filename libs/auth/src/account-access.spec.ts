import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { type UserAccess, UserRole } from '@app/db';
import { ACCOUNT_DISABLED, accountAccess } from './account-access.js';

const words = { gone: 'gone', revoked: 'revoked' };
const changedAt = new Date(Date.UTC(2026, 0, 1, 12, 0, 0, 500));
const user = (changes: Partial<UserAccess> = {}): UserAccess => ({ id: 'u1', role: UserRole.Admin, disabled: false, tokensValidAfter: null, ...changes });
const outcome = (f: () => unknown) => {
  try {
    return f();
  } catch (e) {
    return e instanceof UnauthorizedException || e instanceof ForbiddenException ? [e.getStatus(), e.message] : e;
  }
};

describe('accountAccess', () => {
  it('lets a credential of a live account through, as that account', () => {
    expect(accountAccess(user(), 1, words)).toEqual({ id: 'u1', role: 'admin' });
    expect(accountAccess(user({ tokensValidAfter: changedAt }), changedAt.getTime(), words)).toEqual({ id: 'u1', role: 'admin' });
    expect(accountAccess(user({ tokensValidAfter: changedAt }), changedAt.getTime() + 1, words)).toEqual({ id: 'u1', role: 'admin' });
  });

  it('answers 401 for an account that is gone, 403 for a disabled one, 401 for a credential issued before tokens_valid_after', () => {
    expect(outcome(() => accountAccess(undefined, Date.now(), words))).toEqual([401, 'gone']);
    expect(outcome(() => accountAccess(user({ disabled: true, tokensValidAfter: changedAt }), Date.now(), words))).toEqual([403, ACCOUNT_DISABLED]);
    expect(outcome(() => accountAccess(user({ tokensValidAfter: changedAt }), changedAt.getTime() - 1, words))).toEqual([401, 'revoked']);
    // No issue time at all cannot be shown to be after the change.
    expect(outcome(() => accountAccess(user({ tokensValidAfter: changedAt }), undefined, words))).toEqual([401, 'revoked']);
    expect(outcome(() => accountAccess(user({ tokensValidAfter: changedAt }), Number.NaN, words))).toEqual([401, 'revoked']);
  });
});
