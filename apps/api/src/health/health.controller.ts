import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DatabaseHealthRepository } from '@app/db';
import { PipelineService } from '@app/jobs';
import { ApiErrors } from '../common/api-errors.decorator.js';

class HealthDto {
  @ApiProperty({ example: 'ok' }) status: string;
  @ApiProperty({ required: false, example: { database: 'ok', redis: 'ok' } }) checks?: Record<string, string>;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseHealthRepository,
    private readonly pipeline: PipelineService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: HealthDto })
  live(): HealthDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Redis answer' })
  @ApiOkResponse({ type: HealthDto })
  @ApiErrors(503)
  async ready(): Promise<HealthDto> {
    const checks: Record<string, string> = {};
    checks.database = (await this.database.ping()) ? 'ok' : 'down';
    checks.redis = (await this.pipeline.ping()) ? 'ok' : 'down';
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
