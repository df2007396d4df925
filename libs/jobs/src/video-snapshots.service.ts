import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { RedisConfig } from '@app/config';
import { toVideoState } from '@app/common';
import { VideoChanges, type VideoPublicState, type VideoStateSource } from '@app/db';
import { errorMessage, ThrottledWarning, withinMs } from './redis-call.js';
import { bullPrefix, createRedisClient, type RedisClient } from './redis-connection.js';
import { decodeSnapshot, encodeSnapshot, STORE_SNAPSHOT_SCRIPT, type VideoSnapshot } from './video-snapshot.codec.js';

/** A snapshot unread for this long goes (the next poll fills it again); also how long a tombstone lasts. */
export const SNAPSHOT_LIFETIME_MS = 10 * 60_000;
const TIMEOUT_MS = 250;
const RETRY_MS = 1000;

type SnapshotClient = RedisClient & { storeVideoSnapshot(key: string, version: string, payload: string, lifetimeMs: number): Promise<number> };

/**
 * Each video's public state, ready-made in Redis, for the polling route (GET /videos/{id}):
 * one GET instead of two queries. VideoRepository tells it of every change it commits
 * (VideoChanges), in the worker and in the api alike; it reads the row again and stores it
 * with the row's version, and a compare-and-set keeps only the newest (a late progress
 * write never brings back an older state). A deleted video leaves a tombstone.
 *
 * Redis is a copy, never the truth: reads that fail or are slow (250 ms) are misses and the
 * database answers; a write that fails is tried again every second, from a fresh read,
 * until it lands or the snapshot it would replace has expired.
 */
@Injectable()
export class VideoSnapshots extends VideoChanges implements OnApplicationShutdown {
  private readonly logger = new Logger('VideoSnapshots');
  private readonly client: SnapshotClient;
  private readonly prefix: string;
  private readonly retries = new Map<string, { run: () => Promise<void>; until: number }>();
  private retryTimer?: NodeJS.Timeout;
  private readonly warning = new ThrottledWarning(this.logger);

  constructor(config: ConfigService) {
    super();
    const redis = config.getOrThrow<RedisConfig>('redis');
    this.prefix = `${bullPrefix(redis)}:video-state`;
    // Fails fast in the worker too: a progress report never waits for Redis.
    const client = createRedisClient(redis, 'producer', { connectionName: 'blinked-video-snapshots', autoPipelining: true });
    client.on('error', () => undefined);
    client.defineCommand('storeVideoSnapshot', { numberOfKeys: 1, lua: STORE_SNAPSHOT_SCRIPT });
    this.client = client as SnapshotClient;
  }

  key(id: string): string {
    return `${this.prefix}:${id}`;
  }

  /** The snapshot, 'deleted', or undefined when there is none or Redis cannot say (the caller reads the database). */
  async read(id: string): Promise<VideoSnapshot | 'deleted' | undefined> {
    try {
      return decodeSnapshot(await withinMs(this.client.get(this.key(id)), TIMEOUT_MS));
    } catch (e) {
      this.warning.warn(`did not answer (${errorMessage(e)}); videos are read from the database`);
      return undefined;
    }
  }

  override async changed(id: string, source: VideoStateSource): Promise<void> {
    await this.attempt(id, async () => {
      const state = await source.findPublicState(id);
      if (state) await this.write(state);
    });
  }

  /** Stores a state just read from the database (a poll that missed), unless a newer one is there. */
  async fill(state: VideoPublicState): Promise<void> {
    await this.attempt(state.video.id, () => this.write(state));
  }

  /** The video is gone: polls answer 404 at once, and no late write brings it back. */
  async remove(id: string): Promise<void> {
    await this.attempt(id, async () => {
      await withinMs(this.client.storeVideoSnapshot(this.key(id), 'x', '', SNAPSHOT_LIFETIME_MS), TIMEOUT_MS);
    });
  }

  // At application shutdown, not module destroy: a worker's running jobs finish in
  // beforeApplicationShutdown (WorkerShutdown) and still report their progress here.
  onApplicationShutdown(): void {
    clearTimeout(this.retryTimer);
    this.client.disconnect();
  }

  /** The snapshot of a state, as stored and as the polling route answers it. */
  static snapshotOf(state: VideoPublicState): VideoSnapshot {
    return {
      version: String(state.video.version),
      userId: state.video.userId,
      status: state.video.status,
      stateJson: JSON.stringify(toVideoState(state.video, state.prompt)),
    };
  }

  private async write(state: VideoPublicState): Promise<void> {
    const { version, payload } = encodeSnapshot(VideoSnapshots.snapshotOf(state));
    await withinMs(this.client.storeVideoSnapshot(this.key(state.video.id), version, payload, SNAPSHOT_LIFETIME_MS), TIMEOUT_MS);
  }

  /** Runs `run`; when it fails, it is tried again in the background (the latest attempt per video wins). */
  private async attempt(id: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
      this.retries.delete(id);
    } catch (e) {
      this.warning.warn(`could not store a video's state (${errorMessage(e)}); trying again`);
      this.retries.set(id, { run, until: Date.now() + SNAPSHOT_LIFETIME_MS });
      this.scheduleRetries();
    }
  }

  private scheduleRetries(): void {
    if (this.retryTimer || !this.retries.size) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.retryAll().finally(() => this.scheduleRetries());
    }, RETRY_MS);
    this.retryTimer.unref();
  }

  private async retryAll(): Promise<void> {
    for (const [id, pending] of [...this.retries]) {
      if (Date.now() > pending.until) {
        this.retries.delete(id);
        continue;
      }
      try {
        await pending.run();
        if (this.retries.get(id) === pending) this.retries.delete(id);
      } catch {
        return; // Redis is still away: the rest wait for the next round.
      }
    }
  }
}
