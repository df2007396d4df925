import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';

/** The scrape endpoint; the registry and the api's metrics come from the global MetricsModule. */
@Module({ controllers: [MetricsController] })
export class ApiMetricsModule {}
