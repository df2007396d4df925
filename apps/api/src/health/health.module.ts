import { Module } from '@nestjs/common';
import { HealthChecksModule } from '@app/observability';
import { HealthController } from './health.controller.js';

/** Liveness and readiness (@nestjs/terminus, through HealthChecksModule). */
@Module({
  imports: [HealthChecksModule],
  controllers: [HealthController],
})
export class HealthModule {}
