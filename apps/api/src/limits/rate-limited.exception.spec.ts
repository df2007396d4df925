import { emailKey } from './login-throttle.service.js';
import { humanDuration, RateLimitedException } from './rate-limited.exception.js';

describe('humanDuration', () => {
  it.each([
    [0.2, '1 s'],
    [45, '45 s'],
    [60, '1 min'],
    [899.5, '15 min'],
    [3600, '1 h'],
    [23 * 3600 - 20, '23 h'],
    [3 * 3600 + 11 * 60 + 5, '3 h 12 min'],
  ])('%s seconds read as %s', (seconds, words) => {
    expect(humanDuration(seconds)).toBe(words);
  });
});

describe('RateLimitedException', () => {
  it('is a 429 with the standard error body and its Retry-After', () => {
    const e = new RateLimitedException('Too many requests', 30);
    expect(e.getStatus()).toBe(429);
    expect(e.getResponse()).toBe('Too many requests');
    expect(e.retryAfterSeconds).toBe(30);
  });
});

describe('emailKey', () => {
  it('is one key per account however the email is typed, and does not contain it', () => {
    expect(emailKey('  Ada@Example.COM ')).toBe(emailKey('ada@example.com'));
    expect(emailKey('ada@example.com')).not.toBe(emailKey('bob@example.com'));
    expect(emailKey('ada@example.com')).not.toContain('ada');
  });
});
