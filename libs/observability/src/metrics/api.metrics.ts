import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from './metrics.registry.js';

/** What the api records (see METRICS for each one's meaning). */
@Injectable()
export class ApiMetrics {
  readonly httpRequestDuration;
  /** Only `cancelled` here: completions and failures happen in the workers. */
  readonly videosFinished;

  constructor(registry: MetricsRegistry) {
    this.httpRequestDuration = registry.histogram('httpRequestDuration');
    this.videosFinished = registry.counter('videosFinished');
    this.videosFinished.inc({ status: 'cancelled' }, 0);
  }
}
