import type { NestFastifyApplication } from '@nestjs/platform-fastify';

type CorsOptions = NonNullable<Parameters<NestFastifyApplication['enableCors']>[0]>;

/**
 * What a browser page on an allowed origin may do: every method the API has
 * (a test checks them against the OpenAPI document), the request headers it
 * reads, and the response headers a client needs to see.
 */
export function corsOptions(origins: string[]): CorsOptions {
  return {
    origin: origins.includes('*') ? true : origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'range', 'if-none-match'],
    exposedHeaders: [
      'Location',
      'Retry-After',
      'RateLimit',
      'RateLimit-Policy',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
      'ETag',
      'Content-Range',
      'Content-Length',
      'Accept-Ranges',
    ],
    // Browsers cap this (Chromium at 2 h); it saves a preflight before every PUT or DELETE.
    maxAge: 7200,
  };
}
