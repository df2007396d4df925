import { MetricsRegistry, WorkerMetrics } from '@app/observability';
import { randomUUID } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { Queue } from 'bullmq';
import { SignedUrlService } from '@app/auth';
import { parseAuthConfig, parseWebhooksConfig, type RedisConfig, type WorkerConfig } from '@app/config';
import { DEFAULT_EVENTS, type Repositories, repositoriesFor, WebhookEventType } from '@app/db';
import { jobIds, QueueName, redisOptions, WebhookQueue } from '@app/jobs';
import { HttpWebhookTransport, newWebhookSecret, type Resolver, type WebhookPost, WebhookSecretBox, WebhookTransport } from '@app/webhooks';
import { WebhookRelay } from '../../../apps/worker/src/lifecycle/webhook-relay.service.js';
import { WebhookStage } from '../../../apps/worker/src/stages/webhook.stage.js';
import { type FakeWebhookReceiver, startWebhookReceiver, verify } from '../../fakes/fake-webhook-receiver.js';
import { startTcpGate, type TcpGate } from '../../support/tcp-gate.js';
import { waitFor } from '../../support/wait.js';
import { MediumContext } from '../medium.factory.js';

/**
 * The worker's webhook delivery and outbox relay in this process, over a real database
 * and Redis: what happens at delivery when DNS changed or the secret cannot be read, and
 * that deliveries survive Redis being away when they are written and Redis losing their jobs.
 */
const SECRET_KEY = 'medium-secret-key-that-is-long-enough-0123456789';
/** What the resolver answers for each host (no DNS query leaves the machine). */
const dns = new Map<string, string>();
const resolver: Resolver = async (host) => {
  const address = dns.get(host);
  if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return [{ address, family: 4 }];
};

/**
 * The real transport, counting what it is asked to send. As a safety net it passes on
 * only what goes to loopback: a delivery that wrongly went ahead to another address must
 * fail this spec, never send traffic off the machine.
 */
class CountingTransport extends WebhookTransport {
  readonly posts: WebhookPost[] = [];
  private readonly real = new HttpWebhookTransport({ timeoutMs: 2000 });
  post(request: WebhookPost) {
    this.posts.push(request);
    if (!request.target.addresses.every((a) => a.address === '127.0.0.1')) {
      return Promise.resolve({ statusCode: null, error: 'blocked by the spec: not loopback', durationMs: 0 });
    }
    return this.real.post(request);
  }
}

describe('webhook delivery in the worker', () => {
  let ctx: MediumContext;
  let repos: Repositories;
  let rx: FakeWebhookReceiver;
  let transport: CountingTransport;
  let metrics: WorkerMetrics;
  const box = new WebhookSecretBox(SECRET_KEY);
  /** The worker's configuration: strict URL rules as in production (http allowed), unless `allowPrivate`. */
  const configWith = (allowPrivate = false) =>
    new ConfigService({
      webhooks: parseWebhooksConfig({ WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: String(allowPrivate), WEBHOOK_RETRY_BASE_MS: '1000' }),
      auth: parseAuthConfig({ SECRET_KEY }),
      redis: ctx.infra.config.getOrThrow<RedisConfig>('redis'),
      worker: ctx.infra.config.getOrThrow<WorkerConfig>('worker'),
    });

  beforeAll(async () => {
    ctx = await MediumContext.create();
    repos = repositoriesFor(ctx.infra.dataSource.manager);
    rx = await startWebhookReceiver();
  });

  afterAll(async () => {
    await rx?.close();
    await ctx?.close();
  });

  beforeEach(() => {
    transport = new CountingTransport();
    metrics = new WorkerMetrics(new MetricsRegistry());
  });

  /** The delivery-outcome counter of this test's stages, as Prometheus reads it. */
  const outcomes = async () =>
    Object.fromEntries(
      [...(await metrics.registry.render()).matchAll(/^blinked_webhook_deliveries_total\{outcome="(\w+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]),
    );

  const stage = (allowPrivate = false) => {
    const config = configWith(allowPrivate);
    return new WebhookStage(repos.webhookDeliveries, new SignedUrlService(config.getOrThrow('auth')), box, transport, resolver, metrics, config);
  };

  /** A user's endpoint at `url` (stored as the api stores it), with a pending test delivery. */
  async function endpointWithDelivery(url: string, sealWith = box) {
    const { video } = await ctx.newVideo();
    const id = randomUUID();
    const secret = newWebhookSecret();
    const made = await repos.webhookEndpoints.createWithinLimit(
      video.userId,
      { id, url, description: '', events: [...DEFAULT_EVENTS], secretSealed: sealWith.seal(secret, id) },
      10,
    );
    if (!('created' in made)) throw new Error('refused');
    const deliveryId = (await repos.webhookDeliveries.createTest(video.userId, id, { hello: 'medium' }))!;
    return { video, endpointId: id, secret, deliveryId };
  }

  it('delivers to the address the host resolved to when it was vetted, signed', async () => {
    // The receiver's loopback address stands in for a public one: private addresses allowed for this case.
    dns.set('receiver.medium.test', '127.0.0.1');
    const { deliveryId, secret } = await endpointWithDelivery(`http://receiver.medium.test:${rx.port}/ok`);
    const step = await stage(true).run(deliveryId);
    expect(step).toEqual({});
    expect(transport.posts[0]!.target.addresses).toEqual([{ address: '127.0.0.1', family: 4 }]);
    expect(verify(secret, rx.received('/ok')[0]!)).toMatchObject({ type: WebhookEventType.Test, data: { hello: 'medium' } });
    expect(await repos.webhookDeliveries.findView(deliveryId)).toMatchObject({ status: 'delivered' });
    expect(await outcomes()).toEqual({ delivered: 1, retrying: 0, failed: 0, refused: 0 });
  });

  it('refuses at delivery a host whose DNS now says a private address, sending nothing, and tries again later', async () => {
    dns.set('rebind.medium.test', '93.184.216.34'); // public when it was registered
    const { deliveryId } = await endpointWithDelivery('https://rebind.medium.test/hook');
    dns.set('rebind.medium.test', '10.0.0.7');
    const before = Date.now();
    const step = await stage().run(deliveryId);
    expect(transport.posts).toEqual([]);
    expect(step.retryAt!.getTime()).toBeGreaterThanOrEqual(before + 1000);
    expect(await outcomes()).toEqual({ delivered: 0, retrying: 0, failed: 0, refused: 1 });
    expect(await repos.webhookDeliveries.findView(deliveryId)).toMatchObject({
      status: 'pending',
      attempts: [
        {
          number: 1,
          statusCode: null,
          error:
            "not sent: url's host rebind.medium.test resolves to 10.0.0.7, which is not a public address (private); webhooks may only call public addresses",
          durationMs: 0,
        },
      ],
    });
  });

  it('says so when the secret was stored under another SECRET_KEY', async () => {
    const { deliveryId } = await endpointWithDelivery(`http://127.0.0.1:${rx.port}/secret`, new WebhookSecretBox('another-key-another-key-another-key-0'));
    await stage(true).run(deliveryId);
    expect(transport.posts).toEqual([]);
    expect(rx.received('/secret')).toEqual([]);
    const [attempt] = (await repos.webhookDeliveries.findView(deliveryId))!.attempts;
    expect(attempt!.error).toMatch(/^not sent: the endpoint's signing secret cannot be decrypted: SECRET_KEY is not the one it was stored with/);
  });

  it('closes the pending video events of a disabled endpoint unsent, without retries', async () => {
    dns.set('disabled.medium.test', '93.184.216.34');
    const { video, endpointId } = await endpointWithDelivery('https://disabled.medium.test/hook');
    // The video's event was written while the endpoint was enabled; it is disabled before the attempt.
    await repos.videos.fail(video.id, 'Writing the slides failed: no');
    await ctx.infra.db.query('UPDATE webhook_endpoints SET disabled_at = now() WHERE id = $1', [endpointId]);
    const [{ id }] = await ctx.infra.db.query(`SELECT d.id FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE e.video_id = $1`, [
      video.id,
    ]);
    expect(await stage().run(id)).toEqual({});
    expect(transport.posts).toEqual([]);
    expect(await repos.webhookDeliveries.findView(id)).toMatchObject({
      status: 'failed',
      attempts: [{ number: 1, statusCode: null, error: 'not sent: the endpoint is disabled' }],
    });
  });
});

describe('the webhook outbox relay', () => {
  let ctx: MediumContext;
  let repos: Repositories;
  let gate: TcpGate;
  let gatedQueue: Queue;
  let relay: WebhookRelay;

  beforeAll(async () => {
    ctx = await MediumContext.create();
    repos = repositoriesFor(ctx.infra.dataSource.manager);
    const redis = ctx.infra.config.getOrThrow<RedisConfig>('redis');
    const target = new URL(redis.url);
    gate = await startTcpGate(target.hostname, Number(target.port || 6379));
    // The worker's own kind of connection (commands wait for Redis), through the gate.
    gatedQueue = new Queue(QueueName.Webhooks, {
      connection: redisOptions({ ...redis, url: gate.through(redis.url) }, 'worker'),
      prefix: ctx.infra.prefix,
    });
    gatedQueue.on('error', () => undefined);
    const config = new ConfigService({ webhooks: parseWebhooksConfig({}), redis, worker: ctx.infra.config.getOrThrow<WorkerConfig>('worker') });
    relay = new WebhookRelay(repos.webhookOutbox, new WebhookQueue(gatedQueue, config), config);
  });

  afterAll(async () => {
    await gate?.open();
    await gatedQueue?.close();
    await gate?.close();
    await ctx?.close();
  });

  const queue = () => ctx.queue(QueueName.Webhooks);
  const enqueuedAt = async (id: string) => (await ctx.infra.db.query('SELECT enqueued_at FROM webhook_deliveries WHERE id = $1', [id]))[0].enqueued_at;

  async function failedVideoDelivery(): Promise<string> {
    const { video } = await ctx.newVideo();
    const endpoint = await repos.webhookEndpoints.createWithinLimit(
      video.userId,
      { id: randomUUID(), url: 'https://hooks.example.com/x', description: '', events: [...DEFAULT_EVENTS], secretSealed: 's' },
      10,
    );
    expect(endpoint).toHaveProperty('created');
    await repos.videos.fail(video.id, 'Encoding the video failed: no');
    const [{ id }] = await ctx.infra.db.query(`SELECT d.id FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE e.video_id = $1`, [
      video.id,
    ]);
    return id;
  }

  it('keeps an event written while Redis is down, and queues it once Redis is back', async () => {
    await gate.cut();
    // The video ends while Redis is away: the event is in the database all the same.
    const id = await failedVideoDelivery();
    const errored = new Promise((resolve) => gatedQueue.once('error', resolve));
    const pass = relay.relay();
    await errored;
    expect(await enqueuedAt(id)).toBeNull();
    await gate.open();
    expect(await pass).toBeGreaterThanOrEqual(1);
    expect(await enqueuedAt(id)).not.toBeNull();
    expect(await queue().getJobState(jobIds.webhook(id))).toBe('waiting');
  });

  it('finds deliveries whose job Redis lost and queues them again, leaving live jobs alone', async () => {
    const lost = await failedVideoDelivery();
    const live = await failedVideoDelivery();
    await relay.relay();
    await queue().remove(jobIds.webhook(lost)); // as after a Redis restart without persistence
    await ctx.infra.db.query(`UPDATE webhook_deliveries SET next_attempt_at = now() - interval '1 hour' WHERE id = ANY ($1::uuid[])`, [[lost, live]]);
    const report = await relay.sweep();
    expect(report.released).toEqual([lost]);
    expect(await enqueuedAt(lost)).toBeNull();
    await relay.relay();
    await waitFor(
      () => queue().getJobState(jobIds.webhook(lost)),
      (s) => s === 'waiting',
      5000,
      'the lost job to be queued again',
    );
    expect(await queue().getJobState(jobIds.webhook(live))).toBe('waiting');
  });
});
