import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ApiMetrics } from '@app/observability';

/**
 * Every answer's time into blinked_http_request_duration_seconds, labelled by the
 * route template (`/api/v1/videos/:id`, never the id itself) so the series stay few;
 * a path no route matched counts as `unmatched`.
 */
export function useHttpMetrics(app: NestFastifyApplication, metrics: ApiMetrics): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      metrics.httpRequestDuration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: reply.statusCode },
        reply.elapsedTime / 1000,
      );
      done();
    });
}
