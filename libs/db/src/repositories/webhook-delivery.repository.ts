import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { WebhookEventType } from '../entities/webhook-event-type.js';
import { insertWebhookEvent, type StoredSubject, subjectOf, type WebhookEventSubject } from './webhook-event.sql.js';

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookAttempt {
  number: number;
  at: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** A delivery as GET /webhooks/{id}/deliveries shows it. */
export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  type: WebhookEventType;
  videoId: string | null;
  status: WebhookDeliveryStatus;
  /** When the next attempt is due; null once delivered or failed. */
  nextAttemptAt: Date | null;
  createdAt: Date;
  finishedAt: Date | null;
  attempts: WebhookAttempt[];
}

/** Everything one attempt needs, read in one go. */
export interface DeliveryWork {
  id: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  endpoint: { id: string; userId: string; url: string; secretSealed: string; disabled: boolean };
  event: { id: string; type: WebhookEventType; createdAt: Date; subject: WebhookEventSubject };
}

/** What one attempt came to, as the worker decided it. */
export interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  delivered: boolean;
  /** When to try again; null when this was the last attempt (a failure is then final). */
  retryAt: Date | null;
  /** False for an attempt that was never sent because of us (the endpoint was disabled): it says nothing about the receiver. */
  countsForEndpoint: boolean;
}

/** How an endpoint that keeps failing is disabled. */
export interface DisablePolicy {
  afterSeconds: number;
  /** The reason its owner reads in GET /webhooks, from when the failures began. */
  reason: (failingSince: Date) => string;
}

/** What the attempt did to the endpoint. */
export type EndpointChange = 'disabled' | 'enabled' | 'unchanged';

interface ViewRow {
  id: string;
  event_id: string;
  type: WebhookEventType;
  video_id: string | null;
  status: WebhookDeliveryStatus;
  next_attempt_at: Date;
  created_at: Date;
  finished_at: Date | null;
  attempt_log: { number: number; at: string; statusCode: number | null; error: string | null; durationMs: number }[];
}

const VIEW_SQL = `
  SELECT d.id, d.event_id, e.type, e.video_id, d.status, d.next_attempt_at, d.created_at, d.finished_at,
         COALESCE((SELECT jsonb_agg(jsonb_build_object('number', a.number, 'at', a.at, 'statusCode', a.status_code,
                                                       'error', a.error, 'durationMs', a.duration_ms) ORDER BY a.number)
                     FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS attempt_log
    FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id`;

function toView(r: ViewRow): WebhookDeliveryView {
  return {
    id: r.id,
    eventId: r.event_id,
    type: r.type,
    videoId: r.video_id,
    status: r.status,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    attempts: r.attempt_log.map((a) => ({ ...a, at: new Date(a.at) })),
  };
}

/** Deliveries and their attempts: what the worker records and the owner reads. */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly manager: EntityManager) {}

  /** A webhook.test event for one of the user's endpoints (enabled or not: it is how one checks a fix); null when it is not theirs. */
  createTest(userId: string, endpointId: string, data: Record<string, unknown>): Promise<string | null> {
    return this.manager.transaction(async (em) => {
      const owned = await em.query<{ id: string }[]>('SELECT id FROM webhook_endpoints WHERE id = $1 AND user_id = $2', [endpointId, userId]);
      if (!owned.length) return null;
      const [id] = await insertWebhookEvent(em, { userId, type: WebhookEventType.Test, videoId: null, subject: { kind: 'data', data } }, [endpointId]);
      return id!;
    });
  }

  async findView(id: string): Promise<WebhookDeliveryView | null> {
    const rows = await this.manager.query<ViewRow[]>(`${VIEW_SQL} WHERE d.id = $1`, [id]);
    return rows[0] ? toView(rows[0]) : null;
  }

  /** An endpoint's deliveries, newest first. */
  async listForEndpoint(endpointId: string, page: { page: number; limit: number }): Promise<{ items: WebhookDeliveryView[]; total: number }> {
    const rows = await this.manager.query<ViewRow[]>(`${VIEW_SQL} WHERE d.endpoint_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT $2 OFFSET $3`, [
      endpointId,
      page.limit,
      (page.page - 1) * page.limit,
    ]);
    const [{ total }] = await this.manager.query<{ total: number }[]>('SELECT count(*)::int AS total FROM webhook_deliveries WHERE endpoint_id = $1', [
      endpointId,
    ]);
    return { items: rows.map(toView), total };
  }

  /** The delivery with its endpoint and event; null when it is gone (its endpoint or account was deleted). */
  async findWork(id: string): Promise<DeliveryWork | null> {
    const rows = await this.manager.query<
      {
        id: string;
        status: WebhookDeliveryStatus;
        attempts: number;
        next_attempt_at: Date;
        endpoint_id: string;
        user_id: string;
        url: string;
        secret_sealed: string;
        disabled: boolean;
        event_id: string;
        type: WebhookEventType;
        event_created_at: Date;
        payload: StoredSubject;
      }[]
    >(
      `SELECT d.id, d.status, d.attempts, d.next_attempt_at, w.id AS endpoint_id, w.user_id, w.url, w.secret_sealed, w.disabled_at IS NOT NULL AS disabled,
              e.id AS event_id, e.type, e.created_at AS event_created_at, e.payload
         FROM webhook_deliveries d
         JOIN webhook_endpoints w ON w.id = d.endpoint_id
         JOIN webhook_events e ON e.id = d.event_id
        WHERE d.id = $1`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
      endpoint: { id: r.endpoint_id, userId: r.user_id, url: r.url, secretSealed: r.secret_sealed, disabled: r.disabled },
      event: { id: r.event_id, type: r.type, createdAt: r.event_created_at, subject: subjectOf(r.payload) },
    };
  }

  /**
   * Records one attempt and its consequences in one transaction: the attempt row, the
   * delivery (delivered, failed for good, or pending until `retryAt`) and the endpoint
   * (a delivered attempt clears its failures and enables it again; a failed one marks
   * when failing began and disables it once that is `policy.afterSeconds` ago). Undefined
   * when the delivery was no longer pending (a duplicate run of its job) or is gone.
   */
  recordAttempt(id: string, outcome: AttemptOutcome, policy: DisablePolicy): Promise<EndpointChange | undefined> {
    return this.manager.transaction(async (em) => {
      const status: WebhookDeliveryStatus = outcome.delivered ? 'delivered' : outcome.retryAt ? 'pending' : 'failed';
      const [rows] = await em.query<[{ attempts: number; endpoint_id: string }[], number]>(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, status = $2::varchar, next_attempt_at = COALESCE($3::timestamptz, next_attempt_at),
                finished_at = CASE WHEN $2::varchar = 'pending' THEN NULL ELSE now() END
          WHERE id = $1 AND status = 'pending'
          RETURNING attempts, endpoint_id`,
        [id, status, outcome.retryAt],
      );
      const row = rows[0];
      if (!row) return undefined;
      await em.query('INSERT INTO webhook_attempts (delivery_id, number, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5)', [
        id,
        row.attempts,
        outcome.statusCode,
        outcome.error?.slice(0, 1000) ?? null,
        Math.max(0, Math.round(outcome.durationMs)),
      ]);
      if (!outcome.countsForEndpoint) return 'unchanged';
      return outcome.delivered ? markEndpointDelivering(em, row.endpoint_id) : markEndpointFailing(em, row.endpoint_id, policy);
    });
  }
}

async function markEndpointDelivering(em: EntityManager, endpointId: string): Promise<EndpointChange> {
  const [endpoint] = await em.query<{ failing: boolean; disabled: boolean }[]>(
    'SELECT failing_since IS NOT NULL AS failing, disabled_at IS NOT NULL AS disabled FROM webhook_endpoints WHERE id = $1 FOR UPDATE',
    [endpointId],
  );
  if (!endpoint || (!endpoint.failing && !endpoint.disabled)) return 'unchanged';
  await em.query('UPDATE webhook_endpoints SET failing_since = NULL, disabled_at = NULL, disabled_reason = NULL, updated_at = now() WHERE id = $1', [
    endpointId,
  ]);
  return endpoint.disabled ? 'enabled' : 'unchanged';
}

async function markEndpointFailing(em: EntityManager, endpointId: string, policy: DisablePolicy): Promise<EndpointChange> {
  const [endpoint] = await em.query<{ failing_since: Date | null; disabled: boolean; overdue: boolean }[]>(
    `SELECT failing_since, disabled_at IS NOT NULL AS disabled, failing_since <= now() - make_interval(secs => $2) AS overdue
       FROM webhook_endpoints WHERE id = $1 FOR UPDATE`,
    [endpointId, policy.afterSeconds],
  );
  if (!endpoint) return 'unchanged';
  if (!endpoint.failing_since) {
    await em.query('UPDATE webhook_endpoints SET failing_since = now() WHERE id = $1', [endpointId]);
    return 'unchanged';
  }
  if (endpoint.disabled || !endpoint.overdue) return 'unchanged';
  await em.query('UPDATE webhook_endpoints SET disabled_at = now(), disabled_reason = $2, updated_at = now() WHERE id = $1', [
    endpointId,
    policy.reason(endpoint.failing_since).slice(0, 2000),
  ]);
  return 'disabled';
}
