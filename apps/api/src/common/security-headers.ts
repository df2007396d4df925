import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** One year, as browsers' preload lists expect. */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * helmet's headers on every answer, with its default Content-Security-Policy (Swagger
 * UI loads its scripts from files, so it renders under it). Two departures:
 * - Cross-Origin-Resource-Policy is cross-origin: clients on other origins embed the
 *   MP4s and thumbnails (`<video src>` with a signed link); CORS still decides who may
 *   read API answers, and none is readable without a bearer token anyway.
 * - Strict-Transport-Security only on requests that came over TLS, which behind a
 *   proxy is what TRUST_PROXY lets X-Forwarded-Proto say: sent over plain HTTP it would
 *   lock a browser out of an api that has no TLS.
 */
export async function useSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  await app.register(helmet, { crossOriginResourcePolicy: { policy: 'cross-origin' }, hsts: false });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      if (request.protocol === 'https') void reply.header('strict-transport-security', HSTS);
      done();
    });
}
