import { parseMetricsConfig } from './metrics.config.js';
import { oneLineError } from '@test/support/config-error.js';

describe('parseMetricsConfig', () => {
  it('leaves /metrics open unless METRICS_TOKEN is set', () => {
    expect(parseMetricsConfig({}).token).toBeUndefined();
    expect(parseMetricsConfig({ METRICS_TOKEN: '' }).token).toBeUndefined();
    expect(parseMetricsConfig({ METRICS_TOKEN: 'k8s-scraper-0123' }).token).toBe('k8s-scraper-0123');
  });

  it('refuses a token a bearer header cannot carry, without echoing it', () => {
    const message = oneLineError(() => parseMetricsConfig({ METRICS_TOKEN: 'two words' }));
    expect(message).toMatch(/^METRICS_TOKEN must be 1\.\.512 visible ASCII characters/);
    expect(message).not.toContain('two words');
  });
});
