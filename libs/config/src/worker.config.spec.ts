import { parseWorkerConfig } from './worker.config.js';
import { oneLineError } from '@test/support/config-error.js';

describe('parseWorkerConfig: recovery of lost jobs', () => {
  it('looks every minute for videos idle 5 minutes, and restarts one at most 3 times', () => {
    expect(parseWorkerConfig({}).reconcile).toEqual({ intervalSeconds: 60, staleSeconds: 300, maxRestarts: 3 });
  });

  it('takes small values, as tests use, and 0 restarts (fail at the first loss)', () => {
    const config = parseWorkerConfig({ RECONCILE_INTERVAL_SECONDS: '1', RECONCILE_STALE_SECONDS: '2', RECONCILE_MAX_RESTARTS: '0' });
    expect(config.reconcile).toEqual({ intervalSeconds: 1, staleSeconds: 2, maxRestarts: 0 });
  });

  it('refuses bad values in one line naming the variable', () => {
    expect(oneLineError(() => parseWorkerConfig({ RECONCILE_INTERVAL_SECONDS: '0' }))).toBe(
      'RECONCILE_INTERVAL_SECONDS must be between 1 and 86400, got 0',
    );
    expect(oneLineError(() => parseWorkerConfig({ RECONCILE_STALE_SECONDS: '1.5' }))).toBe('RECONCILE_STALE_SECONDS must be a whole number, got "1.5"');
    expect(oneLineError(() => parseWorkerConfig({ RECONCILE_MAX_RESTARTS: '-1' }))).toBe('RECONCILE_MAX_RESTARTS must be between 0 and 100, got -1');
  });
});

describe('parseWorkerConfig: outages and shutdown', () => {
  it("takes a dead worker's job over within 15 s, rides out 15 minutes of outage, and gives shutdown 30 s", () => {
    const config = parseWorkerConfig({});
    expect(config.lockDurationMs).toBe(10_000);
    expect(config.infraRetry).toEqual({ baseMs: 1000, capMs: 30_000, maxSeconds: 900 });
    expect(config.shutdownGraceMs).toBe(30_000);
  });

  it('refuses a cap below the base in one line', () => {
    expect(oneLineError(() => parseWorkerConfig({ INFRA_RETRY_BASE_MS: '5000', INFRA_RETRY_CAP_MS: '1000' }))).toBe(
      'INFRA_RETRY_CAP_MS (1000) must not be below INFRA_RETRY_BASE_MS (5000)',
    );
    expect(oneLineError(() => parseWorkerConfig({ INFRA_RETRY_MAX_SECONDS: '0' }))).toBe('INFRA_RETRY_MAX_SECONDS must be between 1 and 604800, got 0');
  });
});

describe('parseWorkerConfig: the HTTP listener', () => {
  it('listens on 9464 (the port Prometheus exporters use by convention), or any free port with 0', () => {
    expect(parseWorkerConfig({}).httpPort).toBe(9464);
    expect(parseWorkerConfig({ WORKER_HTTP_PORT: '0' }).httpPort).toBe(0);
    expect(oneLineError(() => parseWorkerConfig({ WORKER_HTTP_PORT: '70000' }))).toBe('WORKER_HTTP_PORT must be between 0 and 65535, got 70000');
  });
});
