import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { AuthUser } from '@app/auth';
import { withLogFields } from '@app/observability';
import { REQUEST_ID_HEADER } from './request-id.js';

/** Routes probes and scrapers call every few seconds: their lines are debug, not info. */
const PROBES = new Set(['/health', '/health/ready', '/metrics']);

type UserRequest = FastifyRequest & { user?: AuthUser };

/**
 * One JSON line per request, when its answer has gone: request id, user (once the
 * guard knew it), route template, status and time. Every line logged while handling
 * it (Nest's loggers, anywhere) carries the request id and, after the guard, the user
 * id. The id goes back as X-Request-Id on every answer, errors included.
 */
export function useRequestLogging(app: NestFastifyApplication, root: Logger): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    // On the raw response, so answers written without reply.send (the event stream) have it too.
    reply.raw.setHeader(REQUEST_ID_HEADER, request.id);
    // Fastify runs the rest of the request (body parsing, guards, handler) from within this
    // call, so all of it stays in the scope; so does a body arriving in a later packet
    // (tried with one sent 200 ms after its headers).
    withLogFields({ reqId: request.id }, done);
  });
  fastify.addHook('onResponse', (request: UserRequest, reply, done) => {
    const route = request.routeOptions.url;
    const statusCode = reply.statusCode;
    const level = statusCode >= 500 ? 'error' : route && PROBES.has(route) ? 'debug' : 'info';
    root[level](
      {
        reqId: request.id,
        userId: request.user?.id,
        method: request.method,
        route: route ?? null,
        // Never the query string: signed media links carry their signature there.
        path: request.url.split('?')[0],
        statusCode,
        responseTimeMs: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
    done();
  });
}
