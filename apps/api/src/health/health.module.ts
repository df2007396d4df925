import { Module } from '@nestjs/common';
import { StorageModule } from '@app/storage';
import { HealthController } from './health.controller.js';

/** Liveness and readiness; the database and queue checks come from the global modules. */
@Module({
  imports: [StorageModule],
  controllers: [HealthController],
})
export class HealthModule {}
