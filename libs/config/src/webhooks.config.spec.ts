import { checkConfig } from './config.module.js';
import { parseWebhooksConfig } from './webhooks.config.js';
import { oneLineError } from '@test/support/config-error.js';

describe('parseWebhooksConfig', () => {
  it('is strict by default: https only, public addresses only, retries from 30 s, disabled after 5 days of failures', () => {
    expect(parseWebhooksConfig({})).toEqual({
      allowHttp: false,
      allowPrivate: false,
      retryBaseMs: 30_000,
      disableAfterHours: 120,
      pollIntervalMs: 1000,
      timeoutMs: 5000,
    });
  });

  it('reads every variable, fractions of an hour included', () => {
    const config = parseWebhooksConfig({
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_DISABLE_AFTER_HOURS: '0.001',
      WEBHOOK_POLL_INTERVAL_MS: '100',
      WEBHOOK_TIMEOUT_MS: '30000',
    });
    expect(config).toEqual({ allowHttp: true, allowPrivate: true, retryBaseMs: 200, disableAfterHours: 0.001, pollIntervalMs: 100, timeoutMs: 30_000 });
  });

  it('refuses bad values in one line naming the variable', () => {
    expect(oneLineError(() => parseWebhooksConfig({ WEBHOOK_ALLOW_HTTP: 'yes' }))).toBe('WEBHOOK_ALLOW_HTTP must be one of true, false, got "yes"');
    expect(oneLineError(() => parseWebhooksConfig({ WEBHOOK_RETRY_BASE_MS: '5' }))).toBe('WEBHOOK_RETRY_BASE_MS must be between 10 and 3600000, got 5');
    expect(oneLineError(() => parseWebhooksConfig({ WEBHOOK_DISABLE_AFTER_HOURS: 'soon' }))).toBe(
      'WEBHOOK_DISABLE_AFTER_HOURS must be a number, got "soon"',
    );
  });

  it('is checked when either app starts', () => {
    const env = { SECRET_KEY: 'x'.repeat(40), WEBHOOK_ALLOW_PRIVATE: '1' };
    expect(() => checkConfig('api', env)).toThrow('WEBHOOK_ALLOW_PRIVATE must be one of true, false, got "1"');
    expect(() => checkConfig('worker', env)).toThrow('WEBHOOK_ALLOW_PRIVATE must be one of true, false, got "1"');
  });
});
