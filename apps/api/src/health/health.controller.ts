import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InfraChecks, Readiness } from '@app/observability';
import { ApiErrors } from '../common/api-errors.decorator.js';

class HealthDto {
  @ApiProperty({ example: 'ok' }) status: string;
  @ApiProperty({ required: false, example: { database: 'ok', redis: 'ok', storage: 'ok' } }) checks?: Record<string, string>;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: Readiness,
    private readonly infra: InfraChecks,
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
    // In parallel, each bounded in time: a probe waits for the slowest only. Why one is
    // down goes to the log (once); the answer only names it.
    const report = await this.readiness.report(this.infra.all());
    Readiness.assertReady(report);
    return { status: 'ok', checks: report.checks };
  }
}
