import { createHmac, type KeyObject, timingSafeEqual } from 'node:crypto';

/** A token whose `exp` has passed (the name jsonwebtoken gives it, which JwtAuthGuard reads). */
export class TokenExpiredError extends Error {
  override readonly name = 'TokenExpiredError';
  constructor(readonly expiredAt: Date) {
    super('jwt expired');
  }
}

/** Any other reason to refuse a token. */
export class InvalidTokenError extends Error {
  override readonly name = 'JsonWebTokenError';
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Verifies an HS256 JSON Web Token and returns its claims: the signature (constant-time),
 * the algorithm (HS256 only: never "none", never another family), `nbf` and `exp` as
 * jsonwebtoken checks them (whole seconds of the clock, no tolerance).
 *
 * Why not jsonwebtoken, which @nestjs/jwt still uses to issue tokens: on the polling route it
 * was about a sixth of the api's CPU (stream-based parsing, option handling for every
 * algorithm); this does the one thing our access tokens need. hs256-verifier.spec.ts
 * holds it to jsonwebtoken's verdicts on valid, expired, tampered and hostile tokens.
 */
export function verifyHs256(token: string, key: KeyObject, nowMs = Date.now()): Record<string, unknown> {
  if (typeof token !== 'string' || token.length > 8192) throw new InvalidTokenError('jwt malformed');
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidTokenError('jwt malformed');
  const [header64, payload64, signature64] = parts as [string, string, string];
  if (!BASE64URL.test(header64) || !BASE64URL.test(payload64)) throw new InvalidTokenError('jwt malformed');
  if (!signature64) throw new InvalidTokenError('jwt signature is required');

  const header = parseJson(header64);
  if (header?.alg !== 'HS256') throw new InvalidTokenError('invalid algorithm');

  const expected = createHmac('sha256', key).update(`${header64}.${payload64}`).digest();
  const given = Buffer.from(signature64, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected) || given.toString('base64url') !== signature64) {
    throw new InvalidTokenError('invalid signature');
  }

  const claims = parseJson(payload64);
  if (!claims) throw new InvalidTokenError('invalid token');
  const nowSeconds = Math.floor(nowMs / 1000);
  if (claims.nbf !== undefined) {
    if (typeof claims.nbf !== 'number') throw new InvalidTokenError('invalid nbf value');
    if (claims.nbf > nowSeconds) throw new InvalidTokenError('jwt not active');
  }
  if (claims.exp !== undefined) {
    if (typeof claims.exp !== 'number') throw new InvalidTokenError('invalid exp value');
    if (nowSeconds >= claims.exp) throw new TokenExpiredError(new Date(claims.exp * 1000));
  }
  return claims;
}

/**
 * passport-jwt's verifier signature (`JwtStrategy.JwtVerifier`, its documented injection
 * point). Our strategy's options are fixed (HS256, expiry enforced, no audience or issuer),
 * so the options passport-jwt passes along are not consulted.
 */
export function hs256JwtVerifier(
  token: string,
  key: unknown,
  _options: unknown,
  callback: (error: Error | null, claims?: Record<string, unknown>) => void,
): void {
  let claims: Record<string, unknown>;
  try {
    claims = verifyHs256(token, key as KeyObject);
  } catch (e) {
    callback(e as Error);
    return;
  }
  callback(null, claims);
}

function parseJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
