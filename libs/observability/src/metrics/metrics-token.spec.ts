import { metricsAuthorized } from './metrics-token.js';

describe('metricsAuthorized', () => {
  it('lets anyone scrape when no METRICS_TOKEN is set', () => {
    expect(metricsAuthorized(undefined, undefined)).toBe(true);
    expect(metricsAuthorized('Bearer whatever', undefined)).toBe(true);
  });

  it('wants exactly the token as a bearer when one is set', () => {
    expect(metricsAuthorized('Bearer scrape-token-0123', 'scrape-token-0123')).toBe(true);
    expect(metricsAuthorized('bearer scrape-token-0123', 'scrape-token-0123')).toBe(true);
    expect(metricsAuthorized(undefined, 'scrape-token-0123')).toBe(false);
    expect(metricsAuthorized('Bearer scrape-token-012', 'scrape-token-0123')).toBe(false);
    expect(metricsAuthorized('Basic c2NyYXBlLXRva2VuLTAxMjM=', 'scrape-token-0123')).toBe(false);
    expect(metricsAuthorized('scrape-token-0123', 'scrape-token-0123')).toBe(false);
  });
});
