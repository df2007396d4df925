import { Injectable } from '@nestjs/common';
import { DatabaseHealthRepository } from '@app/db';
import { PipelineService } from '@app/jobs';
import { Storage } from '@app/storage';
import type { ReadinessCheck } from './readiness.service.js';

/** The checks api and worker share: PostgreSQL, Redis and the storage driver answer. */
@Injectable()
export class InfraChecks {
  constructor(
    private readonly database: DatabaseHealthRepository,
    private readonly pipeline: PipelineService,
    private readonly storage: Storage,
  ) {}

  all(): Record<'database' | 'redis' | 'storage', ReadinessCheck> {
    return {
      database: { run: () => answers(this.database.ping(), 'PostgreSQL did not answer SELECT 1') },
      // Bounded by PipelineService itself (2 s): a worker's connection would otherwise wait for Redis forever.
      redis: { run: () => answers(this.pipeline.ping(), 'Redis did not answer') },
      storage: { run: () => this.storage.ping() },
    };
  }
}

async function answers(ping: Promise<boolean>, failure: string): Promise<void> {
  if (!(await ping)) throw new Error(failure);
}
