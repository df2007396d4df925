import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks: a user's endpoints, the events that happened to their videos, and one
 * delivery (with its attempts) per event and subscribed endpoint.
 *
 * webhook_deliveries is also the transactional outbox: a delivery row is written in the
 * same transaction as the status change it reports (VideoRepository), so it exists
 * whatever happens to Redis or a worker next. `enqueued_at` says a worker has put its job
 * in the queue; the worker's relay moves rows without it into the queue, and its sweep
 * clears it for pending rows whose job Redis no longer has. Events keep a snapshot of
 * what their `data` is made from, so a delivery made hours later, or after the video was
 * deleted, reports the video as it was when the event happened.
 */
export class Webhooks1770000000000 implements MigrationInterface {
  name = 'Webhooks1770000000000';

  async up(q: QueryRunner): Promise<void> {
    // The id is chosen by the api (it is the associated data of the secret's encryption).
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        url text NOT NULL CHECK (length(url) <= 2000),
        description varchar(200) NOT NULL DEFAULT '',
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        secret_sealed text NOT NULL,
        failing_since timestamptz,
        disabled_at timestamptz,
        disabled_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_endpoints_user_idx ON webhook_endpoints (user_id, created_at)`);

    // No foreign key to the video: the event outlives it (its snapshot is in payload).
    await q.query(`
      CREATE TABLE webhook_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        type varchar(32) NOT NULL,
        video_id uuid,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_events_created_idx ON webhook_events (created_at)`);

    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_id uuid NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts smallint NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        enqueued_at timestamptz,
        finished_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhook_deliveries_event_endpoint_key UNIQUE (event_id, endpoint_id)
      )`);
    // GET /webhooks/{id}/deliveries: an endpoint's newest first.
    await q.query(`CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC, id DESC)`);
    // The relay's poll (every second per worker): new rows not yet in the queue. Partial, so it stays tiny.
    await q.query(`CREATE INDEX webhook_deliveries_outbox_idx ON webhook_deliveries (created_at) WHERE status = 'pending' AND enqueued_at IS NULL`);
    // The sweep: rows in the queue that are overdue.
    await q.query(`CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending' AND enqueued_at IS NOT NULL`);

    await q.query(`
      CREATE TABLE webhook_attempts (
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        number smallint NOT NULL CHECK (number >= 1),
        at timestamptz NOT NULL DEFAULT now(),
        status_code smallint,
        error text,
        duration_ms integer NOT NULL CHECK (duration_ms >= 0),
        PRIMARY KEY (delivery_id, number)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['webhook_attempts', 'webhook_deliveries', 'webhook_events', 'webhook_endpoints']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
