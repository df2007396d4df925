import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import { isDatabaseUnavailable } from '@app/db';
import { isStorageUnavailable } from '@app/storage';

interface Described {
  status: number;
  message: string;
  details?: string[];
  /** Seconds a client should wait before trying again (503). */
  retryAfter?: number;
}

/** A database or store restart takes seconds; clients come back after this many rather than hammering. */
const OUTAGE_RETRY_AFTER_SECONDS = 5;

// Fastify rejects some requests before Nest routes them; their codes get plain words.
const FASTIFY_MESSAGES: Record<string, (e: { message: string }) => string> = {
  FST_ERR_CTP_INVALID_JSON: () => 'Malformed JSON in request body',
  FST_ERR_CTP_EMPTY_JSON_BODY: () => 'Request body is empty but Content-Type is application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: () => 'Request body is too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => 'Unsupported Content-Type; send application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => 'Content-Length does not match the body',
  FST_ERR_BAD_URL: () => 'Malformed URL: a path segment is not valid percent-encoding',
  FST_ERR_MAX_PARAM_LENGTH: () => 'A path segment is too long: no resource has an id that long',
};

/**
 * Every error leaves as `{statusCode, error, message}`; a 5xx is logged with
 * its stack here and answered without one.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const described = describe(exception);
    // Only the unexpected is logged: a 5xx the code chose to answer (a queue that is down,
    // say) was already said once where it was decided, not with a stack per request.
    if (described.status >= 500 && !described.retryAfter && !(exception instanceof HttpException)) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    sendError(reply, described);
  }
}

export function sendError(reply: FastifyReply, { status, message, details, retryAfter }: Described): void {
  if (retryAfter) void reply.header('retry-after', String(retryAfter));
  void reply
    .status(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, ...(details ? { details } : {}) });
}

export function describe(exception: unknown): Described {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    if (typeof body === 'string') return { status, message: body };
    const { message, details } = body as { message?: unknown; details?: unknown };
    const list = Array.isArray(message) ? message.map(String) : undefined;
    return {
      status,
      message: list ? list.join('; ') : typeof message === 'string' ? message : (STATUS_CODES[status] ?? 'Error'),
      details: Array.isArray(details) ? details.map(String) : list && list.length > 1 ? list : undefined,
    };
  }
  const fastify = exception as { statusCode?: unknown; code?: unknown; message?: string };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const code = typeof fastify.code === 'string' ? fastify.code : '';
    const words = FASTIFY_MESSAGES[code];
    return {
      status: fastify.statusCode,
      message: words ? words({ message: fastify.message ?? '' }) : (STATUS_CODES[fastify.statusCode] ?? 'Bad request'),
    };
  }
  // Any route that needs the database: "try again shortly", never a 500 (or a 401 from the token check).
  if (isDatabaseUnavailable(exception)) {
    return { status: 503, message: 'The database is unavailable; try again shortly', retryAfter: OUTAGE_RETRY_AFTER_SECONDS };
  }
  if (isStorageUnavailable(exception)) {
    return { status: 503, message: 'The file store is unavailable; try again shortly', retryAfter: OUTAGE_RETRY_AFTER_SECONDS };
  }
  return { status: 500, message: 'Internal server error' };
}
