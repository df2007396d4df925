import { verifyWebhook, WebhookVerificationError } from '@blinked/sdk';
import { type FakeWebhookReceiver, type ReceivedWebhook, startWebhookReceiver, verify } from './fakes/fake-webhook-receiver.js';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';
import { waitFor } from './support/wait.js';

// Webhooks through the whole stack: the api in this process, a worker process, and a
// receiver on 127.0.0.1 (so private addresses and http are allowed here; the refusals are
// in webhook-ssrf.e2e-spec.ts). Retries start after 300 ms, an endpoint failing for 1.8 s
// is disabled, and an attempt may wait 60 s for its answer, so a held request outlasts a
// whole video.
const WEBHOOK_ENV = {
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_RETRY_BASE_MS: '300',
  WEBHOOK_POLL_INTERVAL_MS: '100',
  WEBHOOK_DISABLE_AFTER_HOURS: '0.0005',
  WEBHOOK_TIMEOUT_MS: '60000',
};
const PROMPT =
  'Tides are the rise and fall of the sea. The Moon pulls the oceans toward it, and the Earth turns beneath that bulge. ' +
  'The Sun adds a smaller pull, so spring tides come at new and full moon.';

let h: PipelineHarness;
let rx: FakeWebhookReceiver;
let alice: string;
let bob: string;

const api = (method: string, path: string, token: string, body?: unknown) => h.api.http.request(method, `/api/v1${path}`, { token, body });

async function addEndpoint(token: string, path: string, events?: string[]): Promise<{ id: string; secret: string }> {
  const res = await api('POST', '/webhooks', token, { url: rx.url(path), ...(events ? { events } : {}) });
  expect(res.status).toBe(201);
  return res.body;
}

/** Verified events that arrived at `path`, once `done` holds for them. */
async function eventsAt(path: string, secret: string, done: (events: ReturnType<typeof verify>[]) => boolean, what: string) {
  const seen = await waitFor(async () => rx.received(path).map((r) => verify(secret, r)), done, 60_000, what);
  return seen;
}

/** A video resource without the query strings of its signed links (their expiry is the signing time). */
function unsigned(video: any) {
  const links = Object.fromEntries(Object.entries(video.links).map(([k, v]) => [k, typeof v === 'string' ? v.split('?')[0] : v]));
  return { ...video, links };
}

beforeAll(async () => {
  rx = await startWebhookReceiver();
  h = await startPipeline({}, { sharedEnv: WEBHOOK_ENV });
  alice = await registerUser(h.api, 'alice');
  bob = await registerUser(h.api, 'bob');
}, 60_000);

afterAll(async () => {
  rx?.release();
  await h?.close();
  await rx?.close();
});

describe('endpoints', () => {
  it('are created with the default events and a secret shown once, and listed without it', async () => {
    const carol = await registerUser(h.api, 'carol');
    const res = await api('POST', '/webhooks', carol, { url: rx.url('/carol'), description: '  Orders  ' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      url: rx.url('/carol'),
      description: 'Orders',
      events: ['video.completed', 'video.failed', 'video.cancelled'],
      enabled: true,
      disabledAt: null,
      disabledReason: null,
      failingSince: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    const list = await api('GET', '/webhooks', carol);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).not.toHaveProperty('secret');
    expect(JSON.stringify(list.body)).not.toContain(res.body.secret.slice(6));
    const [row] = await h.api.db.query('SELECT secret_sealed FROM webhook_endpoints WHERE id = $1', [res.body.id]);
    expect(row.secret_sealed).toMatch(/^v1\./);
    expect(row.secret_sealed).not.toContain(res.body.secret.slice(6, 30));
  });

  it.each([
    ['no url', {}, /url must be a string/],
    ['a url that is not one', { url: 'not a url' }, /url must be an absolute https or http URL/],
    ['an ftp url', { url: 'ftp://127.0.0.1/x' }, /url must use https or http, not ftp/],
    ['credentials in the url', { url: 'http://user:pw@127.0.0.1/x' }, /url must not contain a user name or password/],
    ['no events', { url: 'http://127.0.0.1/x', events: [] }, /events must not be empty/],
    ['an unknown event', { url: 'http://127.0.0.1/x', events: ['video.deleted'] }, /events must each be one of video.completed, video.failed/],
    ['events as a string', { url: 'http://127.0.0.1/x', events: 'video.completed' }, /events must be a list of event types/],
    ['an event twice', { url: 'http://127.0.0.1/x', events: ['video.failed', 'video.failed'] }, /events must list each type once/],
    ['webhook.test as a subscription', { url: 'http://127.0.0.1/x', events: ['webhook.test'] }, /events must each be one of/],
    ['a long description', { url: 'http://127.0.0.1/x', description: 'x'.repeat(201) }, /description must be at most 200 characters/],
    ['a secret of its own', { url: 'http://127.0.0.1/x', secret: 'whsec_x' }, /property secret should not exist/],
  ])('refuses %s with 400 naming the field', async (_, body, message) => {
    const res = await api('POST', '/webhooks', alice, body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });

  it('are at most 10 per user: the 11th is 409, and deleting one makes room', async () => {
    const dave = await registerUser(h.api, 'dave');
    const made = await Promise.all(Array.from({ length: 10 }, (_, i) => api('POST', '/webhooks', dave, { url: rx.url(`/dave/${i}`) })));
    expect(made.map((r) => r.status)).toEqual(Array(10).fill(201));
    const eleventh = await api('POST', '/webhooks', dave, { url: rx.url('/dave/10') });
    expect(eleventh.status).toBe(409);
    expect(eleventh.body.message).toBe('You already have 10 webhook endpoints, the most allowed (10); delete one first');
    expect((await api('DELETE', `/webhooks/${made[0]!.body.id}`, dave)).status).toBe(204);
    expect((await api('POST', '/webhooks', dave, { url: rx.url('/dave/10') })).status).toBe(201);
  });

  it('are invisible to another user: 404 on every route, and not in their list', async () => {
    const { id } = await addEndpoint(alice, '/alice/private');
    for (const [method, path] of [
      ['DELETE', `/webhooks/${id}`],
      ['GET', `/webhooks/${id}/deliveries`],
      ['POST', `/webhooks/${id}/test`],
    ] as const) {
      const res = await api(method, path, bob);
      expect([method, res.status, res.body.message]).toEqual([method, 404, 'Webhook not found']);
    }
    expect((await api('GET', '/webhooks', bob)).body.items.map((e: any) => e.id)).not.toContain(id);
    expect((await api('GET', `/webhooks/${id.toUpperCase()}/deliveries`, alice)).status).toBe(200);
    expect((await api('DELETE', `/webhooks/${id}`, alice)).status).toBe(204);
    expect((await api('DELETE', `/webhooks/${id}`, alice)).status).toBe(404);
  });

  it('go with the account', async () => {
    const erin = await registerUser(h.api, 'erin');
    const { id } = await addEndpoint(erin, '/erin');
    const res = await h.api.http.request('DELETE', '/api/v1/auth/me', { token: erin, body: { password: 'correct horse battery' } });
    expect(res.status).toBe(204);
    expect(await h.api.db.query('SELECT 1 FROM webhook_endpoints WHERE id = $1', [id])).toEqual([]);
  });
});

describe('events of videos', () => {
  const metadata = { orderId: 'A-1001', lesson: 'tides' };
  let ends: { id: string; secret: string };
  let progress: { id: string; secret: string };
  let slow: { id: string; secret: string };
  const ids: Record<'done' | 'failed' | 'cancelled', string> = { done: '', failed: '', cancelled: '' };
  let video: any;
  let firstHeld: ReceivedWebhook;

  beforeAll(async () => {
    ends = await addEndpoint(alice, '/alice/ends');
    progress = await addEndpoint(alice, '/alice/progress', ['video.progress', 'video.completed']);
    slow = await addEndpoint(alice, '/alice/hang', ['video.progress', 'video.completed', 'video.failed', 'video.cancelled']);
    // Only its first request is held (one delivery slot of the worker), the rest answered.
    rx.script('/alice/hang', 'hang');

    const generate = (body: object) => api('POST', '/videos/generate', alice, { prompt: PROMPT, slideCount: 3, metadata, ...body });
    ids.done = (await generate({})).body.id;
    // A voice espeak-ng does not have fails the video for good at its first voice job.
    ids.failed = (await generate({ voice: 'zz-nonexistent', prompt: `${PROMPT} Failing.` })).body.id;
    ids.cancelled = (await generate({ prompt: `${PROMPT} Cancelled.` })).body.id;
    expect((await api('POST', `/videos/${ids.cancelled}/cancel`, alice)).status).toBe(200);

    // The slow receiver holds the first event it gets (a stage change of a video) and
    // answers nothing until the test releases it; the video must finish regardless.
    await waitFor(
      async () => rx.holding,
      (n) => n >= 1,
      30_000,
      'the slow receiver to hold a request',
    );
    firstHeld = rx.received('/alice/hang')[0]!;
    video = (await waitForVideo(h.api, alice, ids.done)).video;
  }, 150_000);

  it('a slow receiver never delays a video: it completes while the receiver still holds an earlier event', () => {
    expect(video.status).toBe('completed');
    expect(firstHeld.closedAt).toBeUndefined();
    expect(firstHeld.at).toBeLessThan(Date.parse(video.completedAt));
  });

  it('video.completed arrives once, signed, with the video resource as GET /videos/{id} answers it, metadata included', async () => {
    const events = await eventsAt('/alice/ends', ends.secret, (e) => e.some((x) => x.type === 'video.completed'), 'the completed event');
    const completed = events.filter((e) => e.type === 'video.completed');
    expect(completed).toHaveLength(1);
    const event = completed[0]!;
    expect(Object.keys(event)).toEqual(['type', 'timestamp', 'data']);
    const get = await api('GET', `/videos/${ids.done}`, alice);
    expect(unsigned(event.data)).toEqual(unsigned(get.body));
    expect(event.data.metadata).toEqual(metadata);
    // The event happened in the transaction that completed the video.
    expect(event.timestamp).toBe(event.data.completedAt);
    // Its media links are signed for the owner and work without a bearer token.
    const thumbnail = await fetch(h.api.http.baseUrl + event.data.links.thumbnail);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/jpeg');
    // Standard Webhooks headers; a changed body no longer verifies.
    const request = rx.received('/alice/ends').find((r) => r.body.includes('"video.completed"') && r.body.includes(ids.done))!;
    expect(request.headers).toMatchObject({ 'content-type': 'application/json', 'webhook-id': expect.any(String) });
    expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(() => verify(ends.secret, { ...request, body: request.body.replace('A-1001', 'A-1002') })).toThrow();
    expect(() => verify(progress.secret, request)).toThrow();
    // And the SDK's own verifier, what the README tells receivers to use, agrees with the reference library.
    expect(verifyWebhook(request.body, request.headers as Record<string, string>, ends.secret)).toEqual(verify(ends.secret, request));
    expect(() => verifyWebhook(request.body.replace('A-1001', 'A-1002'), request.headers as Record<string, string>, ends.secret)).toThrow(
      WebhookVerificationError,
    );
  });

  it('video.progress only where asked for, once per stage change; one event id for every endpoint', async () => {
    const events = await eventsAt(
      '/alice/progress',
      progress.secret,
      (e) => e.some((x) => x.type === 'video.completed' && x.data.id === ids.done),
      'the progress endpoint to get the completion',
    );
    const stages = events.filter((e) => e.type === 'video.progress' && e.data.id === ids.done).map((e) => e.data.status);
    expect(stages.sort()).toEqual(['generating_slides', 'generating_voice', 'rendering']);
    expect(rx.received('/alice/ends').map((r) => JSON.parse(r.body).type)).not.toContain('video.progress');
    // The same event (the completion) carries the same webhook-id to every endpoint.
    const idAt = (path: string) => rx.received(path).find((r) => r.body.includes('"video.completed"') && r.body.includes(ids.done))?.headers['webhook-id'];
    await waitFor(async () => idAt('/alice/hang'), Boolean, 30_000, 'the slow receiver to get the completion');
    expect(idAt('/alice/progress')).toBe(idAt('/alice/ends'));
    expect(idAt('/alice/hang')).toBe(idAt('/alice/ends'));
  });

  it('video.failed and video.cancelled carry the video as it ended, metadata included', async () => {
    const events = await eventsAt(
      '/alice/ends',
      ends.secret,
      (e) => e.some((x) => x.type === 'video.failed') && e.some((x) => x.type === 'video.cancelled'),
      'the failed and cancelled events',
    );
    const failed = events.find((e) => e.type === 'video.failed')!;
    expect(failed.data).toMatchObject({ id: ids.failed, status: 'failed', metadata, links: { file: null } });
    expect(failed.data.error).toMatch(/zz-nonexistent/);
    const cancelled = events.find((e) => e.type === 'video.cancelled')!;
    expect(cancelled.data).toMatchObject({ id: ids.cancelled, status: 'cancelled', stage: 'Cancelled', metadata });
  });

  it('shows every attempt in GET /webhooks/{id}/deliveries; a held delivery is delivered once answered', async () => {
    const res = await api('GET', `/webhooks/${ends.id}/deliveries`, alice);
    expect(res.status).toBe(200);
    expect(res.body.items.map((d: any) => d.event).sort()).toEqual(['video.cancelled', 'video.completed', 'video.failed']);
    for (const d of res.body.items) {
      expect(d).toMatchObject({ status: 'delivered', nextRetryAt: null, attempts: [{ number: 1, statusCode: 204, error: null }] });
      expect(d.attempts[0].durationMs).toBeGreaterThanOrEqual(0);
    }
    const heldEventId = firstHeld.headers['webhook-id'];
    const heldDelivery = async () =>
      (await api('GET', `/webhooks/${slow.id}/deliveries?limit=100`, alice)).body.items.find((d: any) => d.eventId === heldEventId);
    expect(await heldDelivery()).toMatchObject({ status: 'pending', attempts: [] });
    rx.release(200);
    const delivered = await waitFor(heldDelivery, (d) => d?.status === 'delivered', 30_000, 'the held delivery to be recorded as delivered');
    expect(delivered.attempts).toEqual([expect.objectContaining({ number: 1, statusCode: 200, error: null })]);
    // The attempt lasted as long as the receiver held it: nothing gave up on it meanwhile.
    expect(delivered.attempts[0].durationMs).toBeGreaterThanOrEqual((firstHeld.closedAt ?? Date.now()) - firstHeld.at - 50);
  });
});

describe('test events, retries and disabling', () => {
  it('POST /webhooks/{id}/test sends a signed webhook.test event', async () => {
    const { id, secret } = await addEndpoint(bob, '/bob/test');
    const res = await api('POST', `/webhooks/${id}/test`, bob);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ event: 'webhook.test', status: 'pending', videoId: null, attempts: [] });
    const [event] = await eventsAt('/bob/test', secret, (e) => e.length >= 1, 'the test event');
    expect(event).toMatchObject({ type: 'webhook.test', data: { webhookId: id } });
    expect(rx.received('/bob/test')[0]!.headers['webhook-id']).toBe(res.body.eventId);
  });

  it('retries a receiver that answered 500 after WEBHOOK_RETRY_BASE_MS, and records both attempts', async () => {
    const { id } = await addEndpoint(bob, '/bob/flaky');
    rx.script('/bob/flaky', 500);
    const { body } = await api('POST', `/webhooks/${id}/test`, bob);
    const delivery = await waitFor(
      async () => (await api('GET', `/webhooks/${id}/deliveries`, bob)).body.items.find((d: any) => d.id === body.id),
      (d) => d?.status === 'delivered',
      30_000,
      'the retried delivery',
    );
    expect(delivery.attempts.map((a: any) => [a.number, a.statusCode, a.error])).toEqual([
      [1, 500, null],
      [2, 204, null],
    ]);
    const [first, second] = rx.received('/bob/flaky');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(300);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
  });

  it('disables an endpoint that keeps failing, says why, sends it no new event, and a delivered test event enables it again', async () => {
    const { id } = await addEndpoint(bob, '/bob/down');
    rx.answerAlways('/bob/down', 500);
    await api('POST', `/webhooks/${id}/test`, bob);
    const disabled = await waitFor(
      async () => (await api('GET', '/webhooks', bob)).body.items.find((e: any) => e.id === id),
      (e) => e?.enabled === false,
      30_000,
      'the endpoint to be disabled',
    );
    expect(disabled.disabledAt).not.toBeNull();
    expect(disabled.failingSince).not.toBeNull();
    expect(disabled.disabledReason).toMatch(
      /^Disabled because every delivery attempt since .* failed .* send a test event \(POST \/webhooks\/\{id\}\/test\)/,
    );

    // A video event while it is disabled: not even a delivery is made for it.
    const video = await api('POST', '/videos/generate', bob, { prompt: PROMPT, slideCount: 3 });
    expect((await api('POST', `/videos/${video.body.id}/cancel`, bob)).status).toBe(200);
    const deliveries = await api('GET', `/webhooks/${id}/deliveries`, bob);
    expect(deliveries.body.items.map((d: any) => d.event)).toEqual(['webhook.test']);

    rx.answerAlways('/bob/down', 204);
    await api('POST', `/webhooks/${id}/test`, bob);
    const enabled = await waitFor(
      async () => (await api('GET', '/webhooks', bob)).body.items.find((e: any) => e.id === id),
      (e) => e?.enabled === true,
      30_000,
      'the endpoint to be enabled again',
    );
    expect(enabled).toMatchObject({ disabledAt: null, disabledReason: null, failingSince: null });
  });

  it('loses nothing while no worker runs: the delivery waits in the outbox and the next worker sends it', async () => {
    const { id, secret } = await addEndpoint(bob, '/bob/later');
    await Promise.all(h.workers.map((w) => w.stop()));
    const res = await api('POST', `/webhooks/${id}/test`, bob);
    expect(res.status).toBe(202);
    const [row] = await h.api.db.query('SELECT status, enqueued_at FROM webhook_deliveries WHERE id = $1', [res.body.id]);
    expect(row).toEqual({ status: 'pending', enqueued_at: null });
    await h.addWorker();
    const [event] = await eventsAt('/bob/later', secret, (e) => e.length >= 1, 'the delivery after the worker came back');
    expect(event!.type).toBe('webhook.test');
  }, 60_000);
});
