import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A pending delivery to put in the queue, and how long its job waits there (0: at once). */
export interface OutboxEntry {
  id: string;
  delayMs: number;
}

/**
 * The outbox side of webhook_deliveries: what the worker's relay moves into the queue and
 * what its sweep finds lost. Delays are measured by the database's clock.
 */
@Injectable()
export class WebhookOutboxRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Pending deliveries not yet in the queue, oldest first. */
  async unqueued(limit: number): Promise<OutboxEntry[]> {
    const rows = await this.manager.query<{ id: string; delay_ms: number }[]>(
      `SELECT id, GREATEST(0, ceil(extract(epoch FROM next_attempt_at - now()) * 1000))::int AS delay_ms
         FROM webhook_deliveries WHERE status = 'pending' AND enqueued_at IS NULL
        ORDER BY created_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ id: r.id, delayMs: r.delay_ms }));
  }

  async markEnqueued(ids: string[]): Promise<void> {
    if (ids.length)
      await this.manager.query(`UPDATE webhook_deliveries SET enqueued_at = now() WHERE id = ANY ($1::uuid[]) AND status = 'pending'`, [ids]);
  }

  /** Pending deliveries in the queue whose attempt was due more than `graceSeconds` ago: their job may be lost. */
  async overdue(graceSeconds: number, limit: number): Promise<string[]> {
    const rows = await this.manager.query<{ id: string }[]>(
      `SELECT id FROM webhook_deliveries
        WHERE status = 'pending' AND enqueued_at IS NOT NULL AND next_attempt_at < now() - make_interval(secs => $1)
        ORDER BY next_attempt_at LIMIT $2`,
      [graceSeconds, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Back to the outbox (their job was lost): the relay enqueues them again. */
  async release(ids: string[]): Promise<void> {
    if (ids.length) await this.manager.query(`UPDATE webhook_deliveries SET enqueued_at = NULL WHERE id = ANY ($1::uuid[]) AND status = 'pending'`, [ids]);
  }

  /** Forgets events older than `days` with nothing left to deliver (their deliveries and attempts go with them). */
  async prune(days: number): Promise<number> {
    const [, count] = await this.manager.query<[unknown[], number]>(
      `DELETE FROM webhook_events e WHERE e.created_at < now() - make_interval(days => $1)
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = 'pending')`,
      [days],
    );
    return count;
  }
}
