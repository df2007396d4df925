import { linkIssueTime } from './video-poll.service.js';

describe('linkIssueTime', () => {
  const W = 60_000;

  it('stays the same inside a window counted from the token, and moves at its end', () => {
    const iat = 1_000_123;
    expect(linkIssueTime(iat, iat, W)).toBe(iat);
    expect(linkIssueTime(iat, iat + W - 1, W)).toBe(iat);
    expect(linkIssueTime(iat, iat + W, W)).toBe(iat + W);
  });

  it('is never before the token was issued, nor after now', () => {
    for (const now of [5_000_000, 5_059_999, 5_060_000]) {
      const t = linkIssueTime(4_999_999, now, W);
      expect(t).toBeGreaterThanOrEqual(4_999_999);
      expect(t).toBeLessThanOrEqual(now);
    }
  });

  it('falls back to windows of the clock without a usable token time', () => {
    expect(linkIssueTime(undefined, 130_001, W)).toBe(120_000);
    expect(linkIssueTime(200_000, 130_001, W)).toBe(120_000); // a token "from the future"
  });
});
