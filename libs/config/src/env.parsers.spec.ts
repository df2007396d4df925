import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { ConfigError } from './config.error.js';
import { int, url } from './env.parsers.js';
import { parseAppConfig } from './app.config.js';
import { parseAuthConfig } from './auth.config.js';
import { parseDatabaseConfig } from './database.config.js';
import { parseRedisConfig } from './redis.config.js';

describe('config parsing', () => {
  it('rejects a DATABASE_URL that is not a postgres URL in one line', () => {
    expect(() => parseDatabaseConfig({ DATABASE_URL: 'not a url' })).toThrow(ConfigError);
    expect(() => parseDatabaseConfig({ DATABASE_URL: 'mysql://x@h/db' })).toThrow(/DATABASE_URL must use postgres:/);
  });

  it('never echoes a password from a bad URL', () => {
    try {
      url({ REDIS_URL: 'http://user:hunter2@host' }, 'REDIS_URL', '', ['redis:']);
      throw new Error('should have thrown');
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
      expect((e as Error).message).not.toContain('\n');
    }
  });

  it('rejects a REDIS_URL with the wrong scheme', () => {
    expect(() => parseRedisConfig({ REDIS_URL: 'http://localhost:6379' })).toThrow(/REDIS_URL must use redis:/);
  });

  it('reads the retry backoff base, 2 s unless JOB_BACKOFF_MS says otherwise', () => {
    expect(parseRedisConfig({}).jobBackoffMs).toBe(2000);
    expect(parseRedisConfig({ JOB_BACKOFF_MS: '100' }).jobBackoffMs).toBe(100);
    expect(() => parseRedisConfig({ JOB_BACKOFF_MS: '0' })).toThrow(/JOB_BACKOFF_MS must be between 10 and 600000/);
  });

  it('bounds numbers', () => {
    expect(int({ X: '5' }, 'X', 1, 1, 10)).toBe(5);
    expect(int({}, 'X', 3, 1, 10)).toBe(3);
    expect(() => int({ X: '11' }, 'X', 1, 1, 10)).toThrow('X must be between 1 and 10, got 11');
    expect(() => int({ X: '1.5' }, 'X', 1, 1, 10)).toThrow(/whole number/);
  });

  it('refuses a short or missing SECRET_KEY in production', () => {
    expect(() => parseAuthConfig({ NODE_ENV: 'production' })).toThrow(/SECRET_KEY must be set to at least 32 characters.*not set/);
    expect(() => parseAuthConfig({ NODE_ENV: 'production', SECRET_KEY: 'short' })).toThrow(/it has 5/);
    expect(parseAuthConfig({ NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(32) }).secretKey).toBe('x'.repeat(32));
  });

  it('generates one stable secret in development, and says so', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const a = parseAuthConfig({}).secretKey;
      const b = parseAuthConfig({}).secretKey;
      expect(a.length).toBeGreaterThanOrEqual(32);
      expect(a).toBe(b);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/SECRET_KEY is not set/));
    } finally {
      warn.mockRestore();
    }
  });

  it('defaults match the seed', () => {
    const auth = parseAuthConfig({ SECRET_KEY: 'k'.repeat(40) });
    expect(auth).toMatchObject({ accessTokenExpireMinutes: 15, refreshTokenExpireDays: 30, bcryptCost: 12 });
  });
});

describe('TRUST_PROXY', () => {
  const trust = (value?: string) => parseAppConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy;

  it('trusts no proxy by default, so clients cannot name their own address', () => {
    expect([trust(), trust(''), trust('false')]).toEqual([false, false, false]);
  });

  it('takes true, a hop count, or proxy addresses and CIDRs', () => {
    expect(trust('true')).toBe(true);
    expect(trust('2')).toBe(2);
    expect(trust('10.0.0.0/8, 192.168.1.5,::1')).toEqual(['10.0.0.0/8', '192.168.1.5', '::1']);
  });

  it('refuses anything else in one line', () => {
    expect(() => trust('yes please')).toThrow(/^TRUST_PROXY must be true, false, a hop count or proxy addresses\/CIDRs.*got "yes please"$/);
  });
});
