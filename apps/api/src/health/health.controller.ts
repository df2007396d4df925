import { Controller, Get, Logger, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DatabaseHealthRepository } from '@app/db';
import { PipelineService } from '@app/jobs';
import { Storage } from '@app/storage';
import { ApiErrors } from '../common/api-errors.decorator.js';

class HealthDto {
  @ApiProperty({ example: 'ok' }) status: string;
  @ApiProperty({ required: false, example: { database: 'ok', redis: 'ok', storage: 'ok' } }) checks?: Record<string, string>;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(
    private readonly database: DatabaseHealthRepository,
    private readonly pipeline: PipelineService,
    private readonly storage: Storage,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: HealthDto })
  // The only error a liveness probe can get: the HTTP layer refuses oversized headers before any route.
  @ApiErrors(431)
  live(): HealthDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: PostgreSQL, Redis and the storage answer' })
  @ApiOkResponse({ type: HealthDto })
  @ApiErrors(431, 503)
  async ready(): Promise<HealthDto> {
    // In parallel: each check is bounded in time, and a probe waits for the slowest only.
    const [database, redis, storage] = await Promise.all([
      this.database.ping(),
      this.pipeline.ping(),
      this.storage.ping().then(
        () => true,
        (e: unknown) => {
          // The reason stays in the log; the response only names what is down.
          this.logger.warn(`storage is not ready: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
          return false;
        },
      ),
    ]);
    const checks: Record<string, string> = {
      database: database ? 'ok' : 'down',
      redis: redis ? 'ok' : 'down',
      storage: storage ? 'ok' : 'down',
    };
    if (Object.values(checks).some((v) => v !== 'ok')) {
      throw new ServiceUnavailableException(
        `Not ready: ${Object.entries(checks)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
    }
    return { status: 'ok', checks };
  }
}
