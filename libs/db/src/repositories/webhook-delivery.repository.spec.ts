import { randomUUID } from 'node:crypto';
import { type Connected, seedEndpoint, seedVideo, useRepositories } from '@test/support/repositories.js';
import type { AttemptOutcome, DisablePolicy } from './webhook-delivery.repository.js';

const POLICY: DisablePolicy = { afterSeconds: 3600, reason: (since) => `failing since ${since.toISOString()}` };
const failed = (retryAt: Date | null): AttemptOutcome => ({
  statusCode: 500,
  error: null,
  durationMs: 12,
  delivered: false,
  retryAt,
  countsForEndpoint: true,
});
const OK: AttemptOutcome = { statusCode: 204, error: null, durationMs: 8, delivered: true, retryAt: null, countsForEndpoint: true };

describe('webhook endpoints', () => {
  const connected = useRepositories();
  let c: Connected;
  beforeAll(() => {
    c = connected();
  });
  const newEndpoint = (userId: string) =>
    c.repos.webhookEndpoints.createWithinLimit(
      userId,
      { id: randomUUID(), url: 'https://hooks.example.com/x', description: 'd', events: [], secretSealed: 's' } as never,
      10,
    );

  it('holds at most the limit per user, even when the requests race', async () => {
    const { user } = await seedVideo(c.repos);
    const outcomes = await Promise.all(
      Array.from({ length: 13 }, () =>
        c.repos.webhookEndpoints.createWithinLimit(
          user.id,
          { id: randomUUID(), url: 'https://hooks.example.com/x', description: '', events: ['video.completed'] as never, secretSealed: 's' },
          10,
        ),
      ),
    );
    expect(outcomes.filter((o) => 'created' in o)).toHaveLength(10);
    expect(outcomes.filter((o) => 'refused' in o)).toEqual(Array(3).fill({ refused: 'limit', count: 10 }));
    expect(await c.repos.webhookEndpoints.listForUser(user.id)).toHaveLength(10);
  });

  it('refuses an endpoint with no event (the table checks it too)', async () => {
    const { user } = await seedVideo(c.repos);
    await expect(newEndpoint(user.id)).rejects.toThrow(/check constraint/);
  });

  it('shows and deletes an endpoint for its owner only; its deliveries and attempts go with it, as everything goes with the account', async () => {
    const { user, video } = await seedVideo(c.repos);
    const stranger = await seedVideo(c.repos);
    const endpoint = await seedEndpoint(c.repos, user.id);
    expect(await c.repos.webhookEndpoints.findOwned(stranger.user.id, endpoint.id)).toBeNull();
    expect(await c.repos.webhookEndpoints.deleteOwned(stranger.user.id, endpoint.id)).toBe(false);
    expect(await c.repos.webhookEndpoints.findOwned(user.id, endpoint.id)).toMatchObject({
      id: endpoint.id,
      events: ['video.completed', 'video.failed', 'video.cancelled'],
    });

    await c.repos.videos.fail(video.id, 'x');
    const [{ id }] = await c.sql<{ id: string }>('SELECT id FROM webhook_deliveries WHERE endpoint_id = $1', [endpoint.id]);
    await c.repos.webhookDeliveries.recordAttempt(id, failed(new Date(Date.now() + 60_000)), POLICY);
    expect(await c.repos.webhookEndpoints.deleteOwned(user.id, endpoint.id)).toBe(true);
    expect(await c.sql('SELECT 1 FROM webhook_deliveries WHERE id = $1 UNION ALL SELECT 1 FROM webhook_attempts WHERE delivery_id = $1', [id])).toEqual(
      [],
    );
    expect(await c.repos.webhookDeliveries.findWork(id)).toBeNull();

    const again = await seedEndpoint(c.repos, user.id);
    await c.repos.users.deleteById(user.id);
    expect(
      await c.sql('SELECT 1 FROM webhook_endpoints WHERE id = $1 UNION ALL SELECT 1 FROM webhook_events WHERE user_id = $2', [again.id, user.id]),
    ).toEqual([]);
  });
});

describe('webhook delivery attempts', () => {
  const connected = useRepositories();
  let c: Connected;
  beforeAll(() => {
    c = connected();
  });

  async function pendingDelivery() {
    const { user } = await seedVideo(c.repos);
    const endpoint = await seedEndpoint(c.repos, user.id);
    const id = (await c.repos.webhookDeliveries.createTest(user.id, endpoint.id, { n: 1 }))!;
    return { user, endpoint, id };
  }

  it('records a failure to retry, then the delivery, with every attempt in order', async () => {
    const { user, endpoint, id } = await pendingDelivery();
    const retryAt = new Date(Date.now() + 30_000);
    expect(await c.repos.webhookDeliveries.recordAttempt(id, failed(retryAt), POLICY)).toBe('unchanged');
    const pending = (await c.repos.webhookDeliveries.findView(id))!;
    expect(pending).toMatchObject({ status: 'pending', finishedAt: null, attempts: [{ number: 1, statusCode: 500, error: null, durationMs: 12 }] });
    expect(Math.abs(pending.nextAttemptAt!.getTime() - retryAt.getTime())).toBeLessThan(5);
    expect((await c.repos.webhookEndpoints.findOwned(user.id, endpoint.id))!.failingSince).toBeInstanceOf(Date);

    expect(await c.repos.webhookDeliveries.recordAttempt(id, OK, POLICY)).toBe('unchanged');
    const done = (await c.repos.webhookDeliveries.findView(id))!;
    expect(done).toMatchObject({ status: 'delivered', nextAttemptAt: null });
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(done.attempts.map((a) => [a.number, a.statusCode])).toEqual([
      [1, 500],
      [2, 204],
    ]);
    expect((await c.repos.webhookEndpoints.findOwned(user.id, endpoint.id))!.failingSince).toBeNull();
    // A duplicate run of the job finds it delivered and records nothing.
    expect(await c.repos.webhookDeliveries.recordAttempt(id, OK, POLICY)).toBeUndefined();
    expect((await c.repos.webhookDeliveries.findView(id))!.attempts).toHaveLength(2);
  });

  it('fails the delivery for good after the last attempt', async () => {
    const { id } = await pendingDelivery();
    await c.repos.webhookDeliveries.recordAttempt(id, { ...failed(null), statusCode: null, error: 'no answer within 5 s', durationMs: 5003 }, POLICY);
    expect(await c.repos.webhookDeliveries.findView(id)).toMatchObject({
      status: 'failed',
      nextAttemptAt: null,
      attempts: [{ number: 1, statusCode: null, error: 'no answer within 5 s', durationMs: 5003 }],
    });
  });

  it('disables an endpoint that has failed for longer than the policy allows, and a delivered attempt enables it again', async () => {
    const { user, endpoint, id } = await pendingDelivery();
    const since = new Date('2026-01-01T00:00:00Z');
    await c.sql('UPDATE webhook_endpoints SET failing_since = $2 WHERE id = $1', [endpoint.id, since]);
    expect(await c.repos.webhookDeliveries.recordAttempt(id, failed(new Date()), POLICY)).toBe('disabled');
    expect(await c.repos.webhookEndpoints.findOwned(user.id, endpoint.id)).toMatchObject({
      failingSince: since,
      disabledAt: expect.any(Date),
      disabledReason: 'failing since 2026-01-01T00:00:00.000Z',
    });
    // Still failing: it stays disabled, with its first reason.
    expect(await c.repos.webhookDeliveries.recordAttempt(id, failed(new Date()), POLICY)).toBe('unchanged');
    // An attempt never sent (the endpoint was disabled) changes nothing about the endpoint.
    const unsent: AttemptOutcome = {
      statusCode: null,
      error: 'not sent: the endpoint is disabled',
      durationMs: 0,
      delivered: false,
      retryAt: new Date(),
      countsForEndpoint: false,
    };
    expect(await c.repos.webhookDeliveries.recordAttempt(id, unsent, POLICY)).toBe('unchanged');
    expect(await c.repos.webhookDeliveries.recordAttempt(id, OK, POLICY)).toBe('enabled');
    expect(await c.repos.webhookEndpoints.findOwned(user.id, endpoint.id)).toMatchObject({ failingSince: null, disabledAt: null, disabledReason: null });
  });

  it('lists an endpoint’s deliveries newest first, a page at a time', async () => {
    const { user, endpoint } = await pendingDelivery();
    for (let i = 2; i <= 5; i++) await c.repos.webhookDeliveries.createTest(user.id, endpoint.id, { n: i });
    const first = await c.repos.webhookDeliveries.listForEndpoint(endpoint.id, { page: 1, limit: 3 });
    const second = await c.repos.webhookDeliveries.listForEndpoint(endpoint.id, { page: 2, limit: 3 });
    expect(first.total).toBe(5);
    expect(first.items).toHaveLength(3);
    expect(second.items).toHaveLength(2);
    const all = [...first.items, ...second.items];
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.createdAt.getTime()).toBeGreaterThanOrEqual(all[i]!.createdAt.getTime());
  });
});

describe('the webhook outbox', () => {
  const connected = useRepositories();
  let c: Connected;
  beforeAll(() => {
    c = connected();
  });

  it('hands out new deliveries until they are marked enqueued, finds enqueued ones overdue, releases them again', async () => {
    const { user } = await seedVideo(c.repos);
    const endpoint = await seedEndpoint(c.repos, user.id);
    const a = (await c.repos.webhookDeliveries.createTest(user.id, endpoint.id, {}))!;
    const b = (await c.repos.webhookDeliveries.createTest(user.id, endpoint.id, {}))!;
    expect((await c.repos.webhookOutbox.unqueued(10)).map((e) => e.id)).toEqual([a, b]);
    expect((await c.repos.webhookOutbox.unqueued(10)).every((e) => e.delayMs === 0)).toBe(true);
    await c.repos.webhookOutbox.markEnqueued([a, b]);
    expect(await c.repos.webhookOutbox.unqueued(10)).toEqual([]);

    // b's next attempt is in a minute: not overdue; a's was due long ago: maybe lost.
    await c.sql(`UPDATE webhook_deliveries SET next_attempt_at = now() - interval '1 hour' WHERE id = $1`, [a]);
    await c.sql(`UPDATE webhook_deliveries SET next_attempt_at = now() + interval '1 minute' WHERE id = $1`, [b]);
    expect(await c.repos.webhookOutbox.overdue(10, 10)).toEqual([a]);
    await c.repos.webhookOutbox.release([a, b]);
    const back = await c.repos.webhookOutbox.unqueued(10);
    expect(back.map((e) => e.id)).toEqual([a, b]);
    // b goes back into the queue delayed until its attempt is due.
    expect(back[1]!.delayMs).toBeGreaterThan(50_000);
    expect(back[1]!.delayMs).toBeLessThanOrEqual(60_000);
  });

  it('forgets old events once nothing is left to deliver', async () => {
    const { user } = await seedVideo(c.repos);
    const endpoint = await seedEndpoint(c.repos, user.id);
    const done = (await c.repos.webhookDeliveries.createTest(user.id, endpoint.id, {}))!;
    const waiting = (await c.repos.webhookDeliveries.createTest(user.id, endpoint.id, {}))!;
    await c.repos.webhookDeliveries.recordAttempt(done, OK, POLICY);
    await c.sql(`UPDATE webhook_events SET created_at = now() - interval '40 days'`);
    expect(await c.repos.webhookOutbox.prune(30)).toBe(1);
    expect(await c.repos.webhookDeliveries.findView(done)).toBeNull();
    expect(await c.repos.webhookDeliveries.findView(waiting)).not.toBeNull();
  });
});
