import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { WebhooksConfig, WorkerConfig } from '@app/config';
import { WebhookOutboxRepository } from '@app/db';
import { WebhookQueue } from '@app/jobs';

/** Rows moved into the queue per round trip; a relay pass goes on while full batches come back. */
const BATCH = 200;
/** A delivery whose attempt is this overdue and has no live job lost it (Redis restarted empty, or our outage outlasted its attempts). */
const LOST_AFTER_SECONDS = 60;
/** Events with nothing left to deliver are kept this long for GET /webhooks/{id}/deliveries. */
const RETENTION_DAYS = 30;
const ERROR_LOG_EVERY_MS = 30_000;
const SHUTDOWN_WAIT_MS = 5000;

export interface SweepReport {
  /** Deliveries whose job was gone, handed back to the relay. */
  released: string[];
  pruned: number;
}

/**
 * Moves webhook deliveries from the database outbox (rows written with the status change
 * they report, by whichever process made it: a worker, or the api for a cancel or a test
 * event) into the `webhooks` queue, every WEBHOOK_POLL_INTERVAL_MS in every worker. Job
 * ids come from the delivery, so workers that relay the same row at once add one job.
 * Nothing is lost when Redis is down (the rows wait and the next pass moves them) or a
 * process dies (a row is marked enqueued only after its job was added).
 *
 * The sweep, at start and every RECONCILE_INTERVAL_SECONDS, finds deliveries marked
 * enqueued whose attempt is long overdue and whose job is not live any more, and hands
 * them back to the relay; it also forgets events older than RETENTION_DAYS with nothing
 * left to deliver. Both are idempotent, so every worker runs them with no lock.
 */
@Injectable()
export class WebhookRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookRelay.name);
  private readonly pollMs: number;
  private readonly sweepMs: number;
  private relayTimer?: NodeJS.Timeout;
  private sweepTimer?: NodeJS.Timeout;
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;
  private lastErrorLog = 0;

  constructor(
    private readonly outbox: WebhookOutboxRepository,
    private readonly queue: WebhookQueue,
    config: ConfigService,
  ) {
    this.pollMs = config.getOrThrow<WebhooksConfig>('webhooks').pollIntervalMs;
    this.sweepMs = config.getOrThrow<WorkerConfig>('worker').reconcile.intervalSeconds * 1000;
  }

  onApplicationBootstrap(): void {
    // What a dead worker left behind is found at once, not a sweep interval later.
    this.every(
      0,
      this.sweepMs,
      () => this.sweep(),
      (t) => (this.sweepTimer = t),
    );
    this.every(
      0,
      this.pollMs,
      () => this.relay(),
      (t) => (this.relayTimer = t),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.relayTimer);
    clearTimeout(this.sweepTimer);
    const wait = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref());
    await Promise.race([Promise.allSettled([...this.running]), wait]);
  }

  /** Moves every pending delivery not yet in the queue into it; returns how many. */
  async relay(): Promise<number> {
    let moved = 0;
    for (;;) {
      const entries = await this.outbox.unqueued(BATCH);
      await this.queue.add(entries);
      await this.outbox.markEnqueued(entries.map((e) => e.id));
      moved += entries.length;
      if (entries.length < BATCH || this.stopped) return moved;
    }
  }

  async sweep(): Promise<SweepReport> {
    const overdue = await this.outbox.overdue(LOST_AFTER_SECONDS, BATCH);
    const released = overdue.length ? await this.queue.withoutLiveJob(overdue) : [];
    await this.outbox.release(released);
    if (released.length) this.logger.warn(`${released.length} webhook deliveries had lost their job; queued again`);
    return { released, pruned: await this.outbox.prune(RETENTION_DAYS) };
  }

  /** Runs `pass` after `firstMs`, then `everyMs` after each pass ends (passes never overlap). */
  private every(firstMs: number, everyMs: number, pass: () => Promise<unknown>, keep: (timer: NodeJS.Timeout) => void): void {
    const timer = setTimeout(() => {
      const current = pass().catch((e: Error) => this.logError(e));
      this.running.add(current);
      void current.finally(() => {
        this.running.delete(current);
        if (!this.stopped) this.every(everyMs, everyMs, pass, keep);
      });
    }, firstMs);
    keep(timer);
  }

  private logError(e: Error): void {
    if (Date.now() - this.lastErrorLog < ERROR_LOG_EVERY_MS) return;
    this.lastErrorLog = Date.now();
    this.logger.error(`webhook outbox: ${e.message} (trying again)`);
  }
}
