import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { type AuthUser, SignedUrlService } from '@app/auth';
import { videoLinks, videoResourceJson } from '@app/common';
import { authConfig } from '@app/config';
import { VideoRepository } from '@app/db';
import { VideoSnapshots } from '@app/jobs';
import { noneMatch } from './entity-tag.js';

/** What GET /videos/{id} answers: the body (a VideoDto's JSON), or none for 304. */
export interface PollAnswer {
  etag: string;
  body?: string;
}

// Links are dated to the start of a window, so the body (and its ETag) stays the same
// between changes inside it; a tenth of the links' lifetime, at most a minute.
const MAX_WINDOW_MS = 60_000;

/**
 * The polling route's hot path: the video's state from its snapshot in Redis (one GET; the
 * database on a miss, which fills it), the owner's signed links added, and an ETag made of
 * the row's version and the links' issue time, so If-None-Match answers 304 without a
 * database read. The JSON is spliced from the stored JSON, not built from objects again.
 */
@Injectable()
export class VideoPoll {
  private readonly windowMs: number;

  constructor(
    private readonly snapshots: VideoSnapshots,
    private readonly videos: VideoRepository,
    private readonly signer: SignedUrlService,
    @Inject(authConfig.KEY) auth: ConfigType<typeof authConfig>,
  ) {
    this.windowMs = Math.min(MAX_WINDOW_MS, (auth.signedUrlTtlSeconds * 1000) / 10);
  }

  async answer(user: AuthUser, id: string, ifNoneMatch: string | undefined, now = Date.now()): Promise<PollAnswer> {
    let snapshot = await this.snapshots.read(id);
    if (snapshot === 'deleted') throw notFound();
    if (!snapshot) {
      const state = await this.videos.findPublicState(id);
      // Another user's video answers exactly like a missing one.
      if (!state || state.video.userId !== user.id) throw notFound();
      snapshot = VideoSnapshots.snapshotOf(state);
      void this.snapshots.fill(state);
    }
    if (snapshot.userId !== user.id) throw notFound();
    const issuedAt = this.linkIssueTime(user.issuedAtMs, now);
    const etag = `"${snapshot.version}.${issuedAt.toString(36)}"`;
    if (noneMatch(ifNoneMatch, etag)) return { etag };
    const links = videoLinks(id, snapshot.status, (path) => this.signer.sign(path, user.id, issuedAt));
    return { etag, body: videoResourceJson(snapshot.stateJson, links) };
  }

  private linkIssueTime(tokenIssuedAtMs: number | undefined, now: number): number {
    return linkIssueTime(tokenIssuedAtMs, now, this.windowMs);
  }
}

/**
 * Links are dated to the start of the current window, windows counted from the token's own
 * issue time: never before it, so a link passes tokens_valid_after whenever its token does.
 */
export function linkIssueTime(tokenIssuedAtMs: number | undefined, now: number, windowMs: number): number {
  const origin = tokenIssuedAtMs !== undefined && tokenIssuedAtMs <= now ? tokenIssuedAtMs : 0;
  return origin + Math.floor((now - origin) / windowMs) * windowMs;
}

function notFound(): NotFoundException {
  return new NotFoundException('Video not found');
}
