import { parseAuthConfig } from './auth.config.js';

const env = (extra: Record<string, string> = {}) => ({ SECRET_KEY: 'k'.repeat(40), ...extra });

describe('parseAuthConfig: QUEUE_DASHBOARD_LINK_TTL_SECONDS', () => {
  it('defaults to 10 minutes and takes 1 s to a day', () => {
    expect(parseAuthConfig(env()).queueDashboardTtlSeconds).toBe(600);
    expect(parseAuthConfig(env({ QUEUE_DASHBOARD_LINK_TTL_SECONDS: '1' })).queueDashboardTtlSeconds).toBe(1);
    expect(parseAuthConfig(env({ QUEUE_DASHBOARD_LINK_TTL_SECONDS: '86400' })).queueDashboardTtlSeconds).toBe(86400);
  });

  it('refuses zero, more than a day and what is not a whole number, naming the variable', () => {
    for (const bad of ['0', '86401', '5.5', 'soon']) {
      expect(() => parseAuthConfig(env({ QUEUE_DASHBOARD_LINK_TTL_SECONDS: bad }))).toThrow(/QUEUE_DASHBOARD_LINK_TTL_SECONDS/);
    }
  });
});
