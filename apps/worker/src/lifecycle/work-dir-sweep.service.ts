import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { WorkerConfig } from '@app/config';
import { sweepDeadScratchDirs } from '@app/media';

/**
 * A worker killed mid-job (SIGKILL, OOM) leaves its job's work folder behind; the
 * next worker to start on the host removes the folders of processes that are gone,
 * never those of live workers sharing the same WORK_DIR.
 */
@Injectable()
export class WorkDirSweep implements OnApplicationBootstrap {
  private readonly logger = new Logger(WorkDirSweep.name);

  constructor(private readonly config: ConfigService) {}

  async onApplicationBootstrap(): Promise<void> {
    const workDir = this.config.getOrThrow<WorkerConfig>('worker').workDir;
    const removed = await sweepDeadScratchDirs(workDir).catch((e: Error) => {
      this.logger.warn(`could not sweep ${workDir}: ${e.message}`);
      return [];
    });
    if (removed.length) this.logger.log(`removed ${removed.length} work folder(s) left by dead workers in ${workDir}: ${removed.join(', ')}`);
  }
}
