import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { LimitsConfig } from '@app/config';
import {
  type IdempotencyClaim,
  type IdempotencyExisting,
  type NewVideo,
  type Prompt,
  type QuotaUsage,
  type Video,
  type VideoQuota,
  VideoQuotaRepository,
} from '@app/db';
import { humanDuration, RateLimitedException } from './rate-limited.exception.js';

/** A client told "too many in progress" should look again about when a short video could finish. */
export const CONCURRENT_RETRY_AFTER_SECONDS = 30;

/** What GET /auth/me reports. */
export interface UsageAndLimits {
  usage: { videosInProgress: number; videosToday: number };
  limits: { concurrentVideos: number; dailyVideos: number; requestsPerMinute: number };
}

/**
 * The generation quotas (QUOTA_CONCURRENT_VIDEOS, QUOTA_DAILY_VIDEOS, or the user's
 * own from the users table). They are checked and the video stored in one
 * transaction under a per-user lock (VideoQuotaRepository), so they hold across
 * api replicas and under concurrent requests, and also while Redis is down.
 * Bounding what one user has unfinished also bounds how many of their jobs can
 * stand in the queue ahead of anyone else's: that is the fairness between users.
 */
@Injectable()
export class VideoQuotaService {
  private readonly defaults: VideoQuota;
  private readonly requestsPerMinute: number;

  constructor(
    private readonly quotas: VideoQuotaRepository,
    config: ConfigService,
  ) {
    const limits = config.getOrThrow<LimitsConfig>('limits');
    this.defaults = { concurrent: limits.quota.concurrentVideos, daily: limits.quota.dailyVideos };
    this.requestsPerMinute = limits.requestsPerMinute;
  }

  /**
   * Stores the video and its prompt, or throws 429 naming the quota (and stores nothing).
   * With an Idempotency-Key already used, resolves what it names instead (not counted).
   */
  async create(
    userId: string,
    prompt: { title: string; content: string },
    video: NewVideo,
    idempotency?: IdempotencyClaim,
  ): Promise<{ video: Video; prompt: Prompt } | { existing: IdempotencyExisting }> {
    const outcome = await this.quotas.createWithinQuota(userId, prompt, video, this.defaults, idempotency);
    if ('created' in outcome) return outcome.created;
    if ('existing' in outcome) return outcome;
    const { usage } = outcome;
    if (outcome.refused === 'concurrent') {
      const n = usage.videosInProgress;
      throw new RateLimitedException(
        `You have ${n} video${n === 1 ? '' : 's'} in progress, the most your account may have at once` +
          `${this.source('concurrent', usage)}; try again when one finishes, or cancel one`,
        CONCURRENT_RETRY_AFTER_SECONDS,
      );
    }
    const wait = outcome.secondsUntilDailySlot ?? 60;
    throw new RateLimitedException(
      `You have created ${usage.videosToday} videos in the last 24 hours, the most your account may` +
        `${this.source('daily', usage)}; the next one can start in ${humanDuration(wait)}`,
      wait,
    );
  }

  async usage(userId: string): Promise<UsageAndLimits> {
    const u = await this.quotas.usage(userId, this.defaults);
    return {
      usage: { videosInProgress: u.videosInProgress, videosToday: u.videosToday },
      limits: { concurrentVideos: u.limits.concurrent, dailyVideos: u.limits.daily, requestsPerMinute: this.requestsPerMinute },
    };
  }

  /** Which setting the limit came from, for the message: the deployment's, or the account's own. */
  private source(quota: keyof VideoQuota, usage: QuotaUsage): string {
    if (usage.limits[quota] !== this.defaults[quota]) return ` (a quota set for your account)`;
    return quota === 'concurrent' ? ' (QUOTA_CONCURRENT_VIDEOS)' : ' (QUOTA_DAILY_VIDEOS)';
  }
}
