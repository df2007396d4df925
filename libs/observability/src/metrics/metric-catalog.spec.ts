import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRICS } from './metric-catalog.js';
import { MetricsRegistry } from './metrics.registry.js';
import { ApiMetrics } from './api.metrics.js';
import { WorkerMetrics } from './worker.metrics.js';

const definitions = Object.values(METRICS);

describe('the metric catalog', () => {
  it('names every metric blinked_*, in Prometheus style: counters end in _total, durations in _seconds', () => {
    for (const d of definitions) {
      expect([d.name, /^blinked_[a-z0-9_]+$/.test(d.name)]).toEqual([d.name, true]);
      if (d.name.endsWith('_total')) expect([d.name, 'buckets' in d]).toEqual([d.name, false]);
      if ('buckets' in d && /duration|_seconds/.test(d.name)) expect(d.name).toMatch(/_seconds$/);
    }
    expect(new Set(definitions.map((d) => d.name)).size).toBe(definitions.length);
  });

  it('is listed, every name of it, in the README (dashboards and alerts are written from there)', () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    for (const d of definitions) expect([d.name, readme.includes(`\`${d.name}\``)]).toEqual([d.name, true]);
  });

  it("renders each process's metrics and the process defaults from its own registry", async () => {
    const api = new MetricsRegistry();
    new ApiMetrics(api).httpRequestDuration.observe({ method: 'GET', route: '/health', status_code: 200 }, 0.002);
    const worker = new MetricsRegistry();
    new WorkerMetrics(worker).webhookDelivery('delivered');
    const [apiText, workerText] = await Promise.all([api.render(), worker.render()]);
    expect(apiText).toContain('blinked_http_request_duration_seconds_count{method="GET",route="/health",status_code="200"} 1');
    expect(apiText).toContain('blinked_videos_finished_total{status="cancelled"} 0');
    expect(apiText).toContain('process_cpu_seconds_total');
    expect(apiText).not.toContain('blinked_webhook_deliveries_total');
    expect(workerText).toContain('blinked_webhook_deliveries_total{outcome="delivered"} 1');
    expect(workerText).toContain('blinked_webhook_deliveries_total{outcome="refused"} 0');
    expect(workerText).toContain('blinked_videos_finished_total{status="completed"} 0');
    expect(workerText).not.toContain('blinked_http_request_duration_seconds');
  });
});
