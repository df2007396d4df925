import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { StorageModule } from '@app/storage';
import { InfraChecks } from './infra-checks.js';
import { Readiness } from './readiness.service.js';

/**
 * Readiness for either process. Terminus's own failure log is off: it would print
 * every failed probe (every few seconds through an outage); Readiness logs changes.
 * The database and queue checks come from the global DbModule and QueuesModule.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), StorageModule],
  providers: [Readiness, InfraChecks],
  exports: [Readiness, InfraChecks],
})
export class HealthChecksModule {}
