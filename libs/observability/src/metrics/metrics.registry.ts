import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { METRICS, type MetricKey } from './metric-catalog.js';

type LabelsOf<K extends MetricKey> = (typeof METRICS)[K]['labelNames'][number];

/**
 * The process's own metric registry (not prom-client's global one: the test suite
 * runs several apis in one process, each scraped on its own), with the process
 * defaults (CPU, memory, event loop lag, GC, handles) collected into it. Metrics
 * are made from the catalog only, so no name exists outside it.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  counter<K extends MetricKey>(key: K): Counter<LabelsOf<K>> {
    const { name, help, labelNames } = METRICS[key];
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<K extends MetricKey>(key: K): Histogram<LabelsOf<K>> {
    const definition = METRICS[key];
    const buckets = 'buckets' in definition ? [...definition.buckets] : undefined;
    return new Histogram({ name: definition.name, help: definition.help, labelNames: definition.labelNames, buckets, registers: [this.registry] });
  }

  /** A gauge whose values `collect` sets at each scrape (from Redis, say). */
  gauge<K extends MetricKey>(key: K, collect: (gauge: Gauge<LabelsOf<K>>) => Promise<void>): Gauge<LabelsOf<K>> {
    const { name, help, labelNames } = METRICS[key];
    return new Gauge<LabelsOf<K>>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        await collect(this);
      },
    });
  }
}
