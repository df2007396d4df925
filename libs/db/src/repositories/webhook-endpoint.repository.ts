import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { WebhookEventType } from '../entities/webhook-event-type.js';

/** An endpoint as its owner sees it (never with its secret). */
export interface WebhookEndpoint {
  id: string;
  userId: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  /** When the first of the failures since the last delivered attempt happened; null while it delivers. */
  failingSince: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewWebhookEndpoint {
  /** Chosen by the caller: the secret was encrypted with it as associated data. */
  id: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  secretSealed: string;
}

export type EndpointOutcome = { created: WebhookEndpoint } | { refused: 'limit'; count: number };

interface Row {
  id: string;
  user_id: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  failing_since: Date | null;
  disabled_at: Date | null;
  disabled_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, user_id, url, description, events, failing_since, disabled_at, disabled_reason, created_at, updated_at';
// Two-key advisory locks: the class id keeps them apart from the quota's and the generation cache's.
const LIMIT_LOCK_CLASS = 0x5e6b;

function toEndpoint(r: Row): WebhookEndpoint {
  return {
    id: r.id,
    userId: r.user_id,
    url: r.url,
    description: r.description,
    events: r.events,
    failingSince: r.failing_since,
    disabledAt: r.disabled_at,
    disabledReason: r.disabled_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A user's webhook endpoints. Every read and write is scoped to the owner: anyone else's is "not found". */
@Injectable()
export class WebhookEndpointRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Counts and inserts under a per-user transaction-scoped advisory lock, so two requests
   * at the edge of the limit (on any api replica) cannot both pass.
   */
  createWithinLimit(userId: string, endpoint: NewWebhookEndpoint, max: number): Promise<EndpointOutcome> {
    return this.manager.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LIMIT_LOCK_CLASS, userId]);
      const [{ count }] = await em.query<{ count: number }[]>('SELECT count(*)::int AS count FROM webhook_endpoints WHERE user_id = $1', [userId]);
      if (count >= max) return { refused: 'limit', count };
      const [row] = await em.query<Row[]>(
        `INSERT INTO webhook_endpoints (id, user_id, url, description, events, secret_sealed) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [endpoint.id, userId, endpoint.url, endpoint.description, endpoint.events, endpoint.secretSealed],
      );
      return { created: toEndpoint(row!) };
    });
  }

  /** Oldest first: the order they were added in. */
  async listForUser(userId: string): Promise<WebhookEndpoint[]> {
    const rows = await this.manager.query<Row[]>(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
    return rows.map(toEndpoint);
  }

  async findOwned(userId: string, id: string): Promise<WebhookEndpoint | null> {
    const rows = await this.manager.query<Row[]>(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = $1 AND user_id = $2`, [id, userId]);
    return rows[0] ? toEndpoint(rows[0]) : null;
  }

  /** Its deliveries go with it (pending ones included: their jobs find no row and stop). */
  async deleteOwned(userId: string, id: string): Promise<boolean> {
    const [, count] = await this.manager.query<[unknown[], number]>('DELETE FROM webhook_endpoints WHERE id = $1 AND user_id = $2', [id, userId]);
    return count > 0;
  }
}
