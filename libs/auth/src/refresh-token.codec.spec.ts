import { decodeRefreshToken, newRefreshToken, secretMatches } from './refresh-token.codec.js';

describe('refresh token codec', () => {
  it('round-trips a new token and matches only its own secret', () => {
    const { id, token, hash } = newRefreshToken();
    const decoded = decodeRefreshToken(token)!;
    expect(decoded.id).toBe(id);
    expect(secretMatches(decoded.secret, hash)).toBe(true);
    const other = decodeRefreshToken(newRefreshToken().token)!;
    expect(secretMatches(other.secret, hash)).toBe(false);
  });

  it.each(['', 'no-dot', 'not-a-uuid.secret', `${'a'.repeat(36)}.x`, '00000000-0000-0000-0000-000000000000.short'])(
    'rejects malformed token %p',
    (token) => {
      expect(decodeRefreshToken(token)).toBeUndefined();
    },
  );

  it('never stores the token in the hash', () => {
    const { token, hash } = newRefreshToken();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(token).not.toContain(hash);
  });
});
