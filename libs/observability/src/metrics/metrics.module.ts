import { type DynamicModule, Module } from '@nestjs/common';
import type { ProcessName } from '../logging/root-logger.js';
import { ApiMetrics } from './api.metrics.js';
import { MetricsRegistry } from './metrics.registry.js';
import { WorkerMetrics } from './worker.metrics.js';

/** The process's registry and the metrics it records, for any of its modules to inject. */
@Module({})
export class MetricsModule {
  static forRoot(app: ProcessName): DynamicModule {
    const metrics = app === 'api' ? ApiMetrics : WorkerMetrics;
    return { module: MetricsModule, global: true, providers: [MetricsRegistry, metrics], exports: [MetricsRegistry, metrics] };
  }
}
