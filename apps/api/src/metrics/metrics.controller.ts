import { Controller, Get, Headers, Res, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { MetricsConfig } from '@app/config';
import { METRICS_CHALLENGE, metricsAuthorized, MetricsRegistry } from '@app/observability';

/**
 * GET /metrics in Prometheus's text format. Operations, not API: left out of the
 * OpenAPI document and the SDK. With METRICS_TOKEN set, only its bearer may read it.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly token?: string;

  constructor(
    private readonly registry: MetricsRegistry,
    config: ConfigService,
  ) {
    this.token = config.getOrThrow<MetricsConfig>('metrics').token;
  }

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (!metricsAuthorized(authorization, this.token)) {
      void reply.header('www-authenticate', METRICS_CHALLENGE);
      throw new UnauthorizedException('Metrics need the METRICS_TOKEN as a bearer token');
    }
    void reply.header('content-type', this.registry.contentType);
    return this.registry.render();
  }
}
