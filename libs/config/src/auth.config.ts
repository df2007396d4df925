import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { registerAs } from '@nestjs/config';
import { ConfigError } from './config.error.js';
import { type Env, int, str } from './env.parsers.js';

export interface AuthConfig {
  secretKey: string;
  accessTokenExpireMinutes: number;
  refreshTokenExpireDays: number;
  bcryptCost: number;
  /** Lifetime of the signed media links in video resources. */
  signedUrlTtlSeconds: number;
  /** Lifetime of a queue dashboard link, and of the dashboard session it opens. */
  queueDashboardTtlSeconds: number;
}

export const MIN_SECRET_LENGTH = 32;

// One generated secret per process: every reader of the config must agree on it,
// or tokens signed at one place would not verify at another.
let generatedSecret: string | undefined;

export function parseAuthConfig(env: Env): AuthConfig {
  const production = str(env, 'NODE_ENV') === 'production';
  let secretKey = str(env, 'SECRET_KEY');
  if (production && (!secretKey || secretKey.length < MIN_SECRET_LENGTH)) {
    throw new ConfigError(
      `SECRET_KEY must be set to at least ${MIN_SECRET_LENGTH} characters when NODE_ENV=production` +
        (secretKey ? ` (it has ${secretKey.length})` : ' (it is not set)'),
    );
  }
  if (!secretKey) {
    if (!generatedSecret) {
      generatedSecret = randomBytes(48).toString('base64url');
      new Logger('Config').warn(
        'SECRET_KEY is not set: generated a random one for this process; tokens will not survive a restart, ' +
          'and webhooks need the api and the workers to share one',
      );
    }
    secretKey = generatedSecret;
  }
  return {
    secretKey,
    accessTokenExpireMinutes: int(env, 'ACCESS_TOKEN_EXPIRE_MINUTES', 15, 1, 24 * 60),
    refreshTokenExpireDays: int(env, 'REFRESH_TOKEN_EXPIRE_DAYS', 30, 1, 365),
    bcryptCost: int(env, 'BCRYPT_COST', 12, 4, 15),
    signedUrlTtlSeconds: int(env, 'SIGNED_URL_TTL_SECONDS', 3600, 60, 7 * 86400),
    queueDashboardTtlSeconds: int(env, 'QUEUE_DASHBOARD_LINK_TTL_SECONDS', 600, 1, 86400),
  };
}

export const authConfig = registerAs('auth', () => parseAuthConfig(process.env));
