import { UserRole } from '@app/db';
import { decodeRevocation, encodeRevocation, recordsTrusted } from './revocation-record.js';

const at = new Date(Date.UTC(2026, 0, 1, 12, 0, 0, 500));

describe('revocation records', () => {
  it('round-trips gone, disabled and live accounts, with their cut-off to the millisecond', () => {
    for (const access of [
      undefined,
      { id: 'u1', role: UserRole.User, disabled: true, tokensValidAfter: at },
      { id: 'u1', role: UserRole.User, disabled: false, tokensValidAfter: at },
      { id: 'u1', role: UserRole.User, disabled: false, tokensValidAfter: null },
    ]) {
      expect(decodeRevocation(encodeRevocation(access), 'u1', 'user')).toEqual({ access });
    }
  });

  it('reads no record as an account unchanged since the token, with the role of its claims', () => {
    expect(decodeRevocation(null, 'u1', 'admin')).toEqual({ access: { id: 'u1', role: 'admin', disabled: false, tokensValidAfter: null } });
  });

  it('refuses to decide on a record it does not understand', () => {
    expect(decodeRevocation('x:1', 'u1', 'user')).toBeUndefined();
    expect(decodeRevocation('v:', 'u1', 'user')).toBeUndefined();
  });

  it('trusts the records only a whole lifetime after recording started', () => {
    const now = 10_000_000;
    expect(recordsTrusted(null, now, 1000)).toBe(false);
    expect(recordsTrusted('garbage', now, 1000)).toBe(false);
    expect(recordsTrusted(String(now - 999), now, 1000)).toBe(false);
    expect(recordsTrusted(String(now - 1000), now, 1000)).toBe(true);
  });
});
