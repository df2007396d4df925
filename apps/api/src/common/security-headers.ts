import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** One year, as browsers' preload lists expect. */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * helmet's headers on every answer, with its default Content-Security-Policy (Swagger
 * UI loads its scripts from files, so it renders under it). Departures, each for a reason:
 * - Cross-Origin-Resource-Policy is cross-origin: clients on other origins embed the
 *   MP4s and thumbnails (`<video src>` with a signed link); CORS still decides who may
 *   read API answers, and none is readable without a bearer token anyway.
 * - Strict-Transport-Security and the CSP's upgrade-insecure-requests only on requests
 *   that came over TLS, which behind a proxy is what TRUST_PROXY lets X-Forwarded-Proto
 *   say. Over plain HTTP they break the api: HSTS locks browsers out of an api with no
 *   TLS, and the upgrade sent Swagger UI's own scripts to https:// (a blank page in
 *   Chromium, reached by any name but a loopback one).
 */
export async function useSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  await app.register(helmet, {
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    hsts: false,
  });
  // After helmet's own hook, which has set its headers on the raw response by then.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      if (request.protocol === 'https') {
        void reply.header('strict-transport-security', HSTS);
        const csp = reply.raw.getHeader('content-security-policy');
        if (typeof csp === 'string') reply.raw.setHeader('content-security-policy', `${csp};upgrade-insecure-requests`);
      }
      done();
    });
}
