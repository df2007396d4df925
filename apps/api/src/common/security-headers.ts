import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** One year, as browsers' preload lists expect. */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * helmet's headers, with its default Content-Security-Policy (Swagger UI loads its scripts
 * from files, so it renders under it). Departures, each for a reason:
 * - Cross-Origin-Resource-Policy is cross-origin: clients on other origins embed the
 *   MP4s and thumbnails (`<video src>` with a signed link); CORS still decides who may
 *   read API answers, and none is readable without a bearer token anyway.
 * - Strict-Transport-Security and the CSP's upgrade-insecure-requests only on requests
 *   that came over TLS, which behind a proxy is what TRUST_PROXY lets X-Forwarded-Proto
 *   say. Over plain HTTP they break the api: HSTS locks browsers out of an api with no
 *   TLS, and the upgrade sent Swagger UI's own scripts to https:// (a blank page in
 *   Chromium, reached by any name but a loopback one).
 */
export const HELMET_OPTIONS: HelmetOptions = {
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  strictTransportSecurity: false,
};

/**
 * The headers helmet sets with these options, worked out once. They are the same for every
 * request (no CSP nonces), and running helmet's middleware per request (as @fastify/helmet
 * does) parsed the CSP directives again each time: 3 % of the polling route's CPU.
 */
export function helmetHeaders(options: HelmetOptions = HELMET_OPTIONS): [string, string][] {
  const headers = new Map<string, string>();
  const collector = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
  };
  helmet(options)({} as IncomingMessage, collector as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error(String(error));
  });
  return [...headers];
}

export function useSecurityHeaders(app: NestFastifyApplication): void {
  const headers = helmetHeaders();
  // On the raw response, as helmet itself sets them: error answers and 404s carry them too.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      const raw = reply.raw;
      for (const [name, value] of headers) raw.setHeader(name, value);
      if (request.protocol === 'https') {
        void reply.header('strict-transport-security', HSTS);
        const csp = raw.getHeader('content-security-policy');
        if (typeof csp === 'string') raw.setHeader('content-security-policy', `${csp};upgrade-insecure-requests`);
      }
      done();
    });
}
