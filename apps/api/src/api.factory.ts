import { type INestApplication, RequestMethod } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';
import { type AppConfig, parseAppConfig } from '@app/config';
import { ApiMetrics, createAppLogger } from '@app/observability';
import { mountQueueDashboard } from './admin/queue-dashboard.mount.js';
import { ApiModule } from './api.module.js';
import { corsOptions } from './common/cors.options.js';
import { describe, sendError } from './common/http-error.filter.js';
import { useHttpMetrics } from './common/http-metrics.js';
import { useDepthLimitedJsonParser } from './common/json-body.parser.js';
import { REQUEST_ID_HEADER, requestId } from './common/request-id.js';
import { useRequestLogging } from './common/request-logging.js';
import { useSecurityHeaders } from './common/security-headers.js';
import { createValidationPipe } from './common/validation.pipe.js';
import { mountOpenApi } from './openapi.js';

export const API_PREFIX = 'api/v1';
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export interface ApiAppOptions {
  /** Where the api's log lines go (standard output by default); the tests' capture. */
  logDestination?: DestinationStream;
}

/**
 * Builds the configured api application (not listening yet). main.ts and the
 * end-to-end tests share it, so tests exercise exactly what production runs.
 */
export async function createApiApp(options: ApiAppOptions = {}): Promise<NestFastifyApplication> {
  // Read before Nest starts, for the adapter and the start-up logger (checkConfig already validated it).
  const early = parseAppConfig(process.env);
  const logger = await createAppLogger('api', process.env, options.logDestination);
  // forceCloseConnections: on shutdown, keep-alive sockets and long media or SSE
  // streams are cut instead of holding the process open; players resume with Range.
  const adapter = new FastifyAdapter({
    bodyLimit: early.bodyLimit,
    // A hop count trusts that many proxies nearest to us (proxy-addr's hop index).
    trustProxy: typeof early.trustProxy === 'number' ? trustHops(early.trustProxy) : early.trustProxy,
    forceCloseConnections: true,
    // The caller's X-Request-Id when it is sane, else a new one (request-id.ts).
    genReqId: requestId,
    // The router refuses a malformed URL (400) or an over-long path segment (414) before
    // Nest sees the request, and before any hook; those answers get the API's error shape
    // and the request id too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      void reply.header(REQUEST_ID_HEADER, request.id);
      sendError(reply, describe(error));
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule, adapter, {
    logger,
    // Start-up errors propagate to main.ts, which reports them in one line.
    abortOnError: false,
  });
  const config = app.get(ConfigService).getOrThrow<AppConfig>('app');
  // First, so every later hook, guard and handler runs inside the request's log scope.
  useRequestLogging(app, logger.root);
  useHttpMetrics(app, app.get(ApiMetrics));
  useSecurityHeaders(app);
  useDepthLimitedJsonParser(app, early.bodyLimit);

  // Every body this API takes is JSON; anything else is refused up front rather
  // than half-parsed into confusing validation errors.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preValidation', async (req, reply) => {
      if (!BODY_METHODS.has(req.method) || req.body === undefined || req.body === null) return;
      const type = String(req.headers['content-type'] ?? '');
      if (!/^application\/(.+\+)?json\b/i.test(type)) {
        sendError(reply, { status: 415, message: 'Unsupported Content-Type; send application/json' });
        return reply;
      }
    });

  useRoutePrefix(app);
  app.useGlobalPipes(createValidationPipe());
  if (config.corsOrigins.length) {
    app.enableCors(corsOptions(config.corsOrigins));
  }
  app.enableShutdownHooks();
  await mountQueueDashboard(app);
  mountOpenApi(app);
  return app;
}

/**
 * The route layout the OpenAPI document describes. `npm run openapi` builds the same
 * document from a preview-mode app (no database or Redis), so both go through here.
 */
export function useRoutePrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      // Where Prometheus looks by default; not part of the API (excluded from its document too).
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
}

function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}
