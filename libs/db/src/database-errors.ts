import { QueryFailedError } from 'typeorm';

/** The PostgreSQL constraint a unique violation hit, or undefined for any other error. */
export function uniqueViolation(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = (error as QueryFailedError & { driverError?: { code?: string; constraint?: string } }).driverError;
  return driverError?.code === '23505' ? (driverError.constraint ?? 'unique') : undefined;
}

/** Node's socket errors: the server is not there, went away or does not answer. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
/**
 * PostgreSQL's SQLSTATEs for "not now": connection exceptions (class 08), the server
 * shutting down or starting (57P01-57P03), too many connections (53300).
 */
const UNAVAILABLE_SQLSTATES = /^(08\d{3}|57P0[123]|53300)$/;
/** What node-postgres and TypeORM say when the connection breaks or cannot be made. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|the database system is (starting up|shutting down)/i;

/**
 * True when the error means the database could not be reached (down, restarting,
 * unreachable), not that the statement was wrong: the api answers 503 for it and the
 * worker waits and tries again. Follows `driverError` and `cause` (TypeORM and our
 * own errors wrap the driver's).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    const { code, message, driverError, cause } = e as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || UNAVAILABLE_SQLSTATES.test(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    // AggregateError: node tries every address of localhost (::1, 127.0.0.1).
    const inner = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(inner) && inner.some((x) => isDatabaseUnavailable(x))) return true;
    e = driverError ?? cause;
  }
  return false;
}
