import { checkConfig } from './config.module.js';
import { parseLimitsConfig } from './limits.config.js';
import { oneLineError } from '@test/support/config-error.js';

describe('parseLimitsConfig', () => {
  it('has the documented defaults', () => {
    expect(parseLimitsConfig({})).toEqual({
      login: { maxFailuresPerAccount: 10, maxFailuresPerIp: 50, windowSeconds: 900 },
      registerPerIpPerHour: 20,
      requestsPerMinute: 300,
      quota: { concurrentVideos: 3, dailyVideos: 50 },
    });
  });

  it('reads every variable', () => {
    const config = parseLimitsConfig({
      LOGIN_MAX_FAILURES: '4',
      LOGIN_MAX_FAILURES_PER_IP: '7',
      LOGIN_FAILURE_WINDOW_SECONDS: '60',
      REGISTER_PER_IP_PER_HOUR: '2',
      RATE_LIMIT_PER_MINUTE: '100000',
      QUOTA_CONCURRENT_VIDEOS: '1',
      QUOTA_DAILY_VIDEOS: '9',
    });
    expect(config).toEqual({
      login: { maxFailuresPerAccount: 4, maxFailuresPerIp: 7, windowSeconds: 60 },
      registerPerIpPerHour: 2,
      requestsPerMinute: 100000,
      quota: { concurrentVideos: 1, dailyVideos: 9 },
    });
  });

  it('refuses bad values in one line naming the variable', () => {
    expect(oneLineError(() => parseLimitsConfig({ LOGIN_MAX_FAILURES: '0' }))).toBe('LOGIN_MAX_FAILURES must be between 1 and 1000000, got 0');
    expect(oneLineError(() => parseLimitsConfig({ RATE_LIMIT_PER_MINUTE: 'lots' }))).toBe('RATE_LIMIT_PER_MINUTE must be a whole number, got "lots"');
    expect(oneLineError(() => parseLimitsConfig({ QUOTA_DAILY_VIDEOS: '-3' }))).toBe('QUOTA_DAILY_VIDEOS must be between 1 and 1000000, got -3');
    expect(oneLineError(() => parseLimitsConfig({ QUOTA_CONCURRENT_VIDEOS: '2.5' }))).toBe('QUOTA_CONCURRENT_VIDEOS must be a whole number, got "2.5"');
  });

  it('is checked when the api starts, not the worker', () => {
    const env = { SECRET_KEY: 'x'.repeat(40), REGISTER_PER_IP_PER_HOUR: '0' };
    expect(() => checkConfig('api', env)).toThrow('REGISTER_PER_IP_PER_HOUR must be between 1 and 1000000, got 0');
    expect(() => checkConfig('worker', env)).not.toThrow();
  });
});
