import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { QueueName } from '@app/jobs';
import { ApiErrors } from '../common/api-errors.decorator.js';

class HealthDto {
  @ApiProperty({ example: 'ok' }) status: string;
  @ApiProperty({ required: false, example: { database: 'ok', redis: 'ok' } }) checks?: Record<string, string>;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: DataSource,
    @InjectQueue(QueueName.Slides) private readonly queue: Queue,
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
    await this.db.query('SELECT 1').then(() => (checks.database = 'ok'), () => (checks.database = 'down'));
    // The api's Redis connection has no offline queue, so this fails fast when Redis is down.
    await this.queue.getJobCounts('waiting').then(() => (checks.redis = 'ok'), () => (checks.redis = 'down'));
    if (Object.values(checks).some((v) => v !== 'ok')) {
      throw new ServiceUnavailableException(`Not ready: ${Object.entries(checks).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
    return { status: 'ok', checks };
  }
}
