import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig } from '@app/config';
import type { SignedLink } from './signed-url.service.js';

/** Where the queue dashboard (Bull Board) is served, outside the /api/v1 prefix. */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';
/** The dashboard session's cookie, sent only under QUEUE_DASHBOARD_PATH. */
export const QUEUE_DASHBOARD_COOKIE = 'blinked_queues';

type Kind = 'link' | 'session';

export interface QueueDashboardLink {
  /** Relative to the api's origin. */
  url: string;
  expiresAt: Date;
}

export interface QueueDashboardSession {
  value: string;
  maxAgeSeconds: number;
}

/**
 * The queue dashboard's credentials. A browser cannot send a bearer header to a page it
 * opens, so an admin asks the api for a short-lived signed link (as for media), and
 * opening it exchanges it for a short-lived HttpOnly cookie scoped to the dashboard, which
 * its own assets and API calls then carry. Both bind the user, the issue time of the
 * link (compared with the account's tokens_valid_after) and an expiry in milliseconds,
 * under a purpose label of their own and their kind, so a link is never a cookie, and
 * neither is ever a media link.
 */
@Injectable()
export class QueueDashboardPass {
  constructor(@Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>) {}

  get ttlSeconds(): number {
    return this.config.queueDashboardTtlSeconds;
  }

  issueLink(userId: string, now = Date.now()): QueueDashboardLink {
    const expires = now + this.ttlSeconds * 1000;
    const sig = this.signature('link', userId, now, expires);
    return { url: `${QUEUE_DASHBOARD_PATH}?uid=${userId}&iat=${now}&expires=${expires}&sig=${sig}`, expiresAt: new Date(expires) };
  }

  verifyLink(query: { uid?: unknown; iat?: unknown; expires?: unknown; sig?: unknown }, now = Date.now()): SignedLink | undefined {
    return this.verify('link', query.uid, query.iat, query.expires, query.sig, now);
  }

  /** The session a valid link opens: it keeps the link's issue time, and lasts the configured TTL from now. */
  openSession(link: SignedLink, now = Date.now()): QueueDashboardSession {
    const iat = link.issuedAt.getTime();
    const expires = now + this.ttlSeconds * 1000;
    return { value: `${link.userId}.${iat}.${expires}.${this.signature('session', link.userId, iat, expires)}`, maxAgeSeconds: this.ttlSeconds };
  }

  verifySession(value: string | undefined, now = Date.now()): SignedLink | undefined {
    const parts = value?.split('.');
    if (parts?.length !== 4) return undefined;
    return this.verify('session', parts[0], parts[1], parts[2], parts[3], now);
  }

  private verify(kind: Kind, uid: unknown, iat: unknown, expires: unknown, sig: unknown, now: number): SignedLink | undefined {
    if (typeof uid !== 'string' || typeof iat !== 'string' || typeof expires !== 'string' || typeof sig !== 'string') return undefined;
    if (!/^\d{1,15}$/.test(expires) || !/^\d{1,15}$/.test(iat) || uid.length > 64) return undefined;
    if (Number(expires) <= now) return undefined;
    const expected = Buffer.from(this.signature(kind, uid, Number(iat), Number(expires)));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    return { userId: uid, issuedAt: new Date(Number(iat)) };
  }

  private signature(kind: Kind, userId: string, issuedAtMs: number, expiresMs: number): string {
    return createHmac('sha256', this.config.secretKey)
      .update(`blinked-queue-dashboard-v1\n${kind}\n${QUEUE_DASHBOARD_PATH}\n${userId}\n${issuedAtMs}\n${expiresMs}`)
      .digest('base64url');
  }
}
