import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { StorageConfig } from '@app/config';
import { type Prompt, PromptRepository, SlideRepository, type Video, VideoRepository, VideoStatus } from '@app/db';
import { SignedUrlService } from '@app/auth';
import { PipelineService, type RestartFrom, VideoSnapshots } from '@app/jobs';
import { CAPTION_STYLES, DEFAULT_ASPECT_RATIO, defaultCaptionMode, SLIDE_COUNT, THEME_NAMES, toVideoResource, webVttToSubRip } from '@app/common';
import { ApiMetrics } from '@app/observability';
import { Storage, videoKeys } from '@app/storage';
import { VideoQuotaService } from '../limits/video-quota.service.js';
import type { GenerateVideoDto, ListVideosQueryDto, UpdateVideoDto, VideoDto, VideoListDto } from './video.dto.js';
import { titleFromPrompt } from './video-title.js';
import { requestHash } from './idempotency-key.js';
import { decodeCursor, encodeCursor } from './video-cursor.js';

export type VideoAsset = 'file' | 'thumbnail' | 'captions' | 'subtitles';

/** A completed video's stored file, as the media routes deliver it. */
export interface AssetInfo {
  key: string;
  size: number;
  contentType: string;
  filename: string;
  updatedAt: Date;
  /** Made on request rather than stored (SubRip of a video stitched before it was stored); served from memory. */
  body?: Buffer;
}

const ASSET: Record<VideoAsset, { key: (id: string) => string; type: string; ext: string }> = {
  file: { key: videoKeys.video, type: 'video/mp4', ext: 'mp4' },
  thumbnail: { key: videoKeys.thumbnail, type: 'image/jpeg', ext: 'jpg' },
  captions: { key: videoKeys.captions, type: 'text/vtt; charset=utf-8', ext: 'vtt' },
  // The captions as SubRip (`?format=srt`).
  subtitles: { key: videoKeys.captionsSrt, type: 'application/x-subrip; charset=utf-8', ext: 'srt' },
};

@Injectable()
export class VideosService {
  private readonly delivery: Pick<StorageConfig, 'delivery' | 'redirectTtlSeconds'>;

  constructor(
    private readonly videos: VideoRepository,
    private readonly prompts: PromptRepository,
    private readonly pipeline: PipelineService,
    private readonly storage: Storage,
    private readonly signer: SignedUrlService,
    private readonly quotas: VideoQuotaService,
    private readonly slides: SlideRepository,
    private readonly metrics: ApiMetrics,
    private readonly snapshots: VideoSnapshots,
    config: ConfigService,
  ) {
    this.delivery = config.getOrThrow<StorageConfig>('storage');
  }

  /** MEDIA_DELIVERY=redirect: clients fetch the bytes from the store, not through the api. */
  get redirectsMedia(): boolean {
    return this.delivery.delivery === 'redirect';
  }

  private dto(userId: string, video: Video, prompt: Pick<Prompt, 'content'>): VideoDto {
    return toVideoResource(video, prompt, (path) => this.signer.sign(path, userId));
  }

  /** With an Idempotency-Key, a repeat of the same request answers with the video the first one made. */
  async generate(userId: string, dto: GenerateVideoDto, idempotencyKey?: string): Promise<VideoDto> {
    const title = dto.title ?? titleFromPrompt(dto.prompt);
    // prompts.title keeps only a title the user chose (empty otherwise), so the
    // worker knows whether the deck's own title may replace the derived one.
    const newPrompt = { title: dto.title ?? '', content: dto.prompt };
    const newVideo = {
      title,
      slideCount: dto.slideCount ?? SLIDE_COUNT.default,
      aspectRatio: dto.aspectRatio ?? DEFAULT_ASPECT_RATIO,
      language: dto.language ?? 'en-US',
      voice: dto.voice ?? null,
      theme: dto.theme ?? THEME_NAMES[0],
      captions: dto.captions ?? defaultCaptionMode(dto.aspectRatio ?? DEFAULT_ASPECT_RATIO),
      captionStyle: dto.captionStyle ?? CAPTION_STYLES[0],
      metadata: dto.metadata ?? {},
    };
    // Over a quota: 429, nothing stored. A repeated Idempotency-Key is not counted again.
    const hash = idempotencyKey === undefined ? undefined : requestHash(dto);
    const made = await this.quotas.create(userId, newPrompt, newVideo, hash === undefined ? undefined : { key: idempotencyKey!, requestHash: hash });
    if ('existing' in made) return this.replay(userId, made.existing, hash!);
    const { video, prompt } = made;
    try {
      await this.pipeline.start(video.id);
    } catch {
      // Nothing half-made stays behind: without its job the row would sit in `queued` forever.
      await this.prompts.deleteWithVideo(prompt.id);
      throw new ServiceUnavailableException('The job queue is unavailable, so nothing was queued; try again shortly');
    }
    return this.dto(userId, await this.videos.getById(video.id), prompt);
  }

  async list(userId: string, query: ListVideosQueryDto): Promise<VideoListDto> {
    if (query.cursor !== undefined && query.page !== undefined) {
      throw new BadRequestException('page and cursor cannot be used together: page with page, or follow nextCursor');
    }
    const place = query.cursor === undefined ? undefined : decodeCursor(query.cursor, query.status);
    const page = place?.page ?? query.page ?? 1;
    const list = await this.videos.listForUser(userId, { limit: query.limit, status: query.status, page: place ? undefined : page, after: place?.after });
    return {
      items: list.items.map(({ video, prompt }) => this.dto(userId, video, prompt)),
      total: list.total,
      page,
      limit: query.limit,
      nextCursor: list.next && encodeCursor(list.next, query.status, page + 1),
    };
  }

  async get(userId: string, id: string): Promise<VideoDto> {
    const video = await this.find(userId, id);
    const prompt = await this.prompts.getById(video.promptId);
    return this.dto(userId, video, prompt);
  }

  async update(userId: string, id: string, dto: UpdateVideoDto): Promise<VideoDto> {
    // The update matches the owner too, and get() answers 404 for anyone else.
    const changes: Partial<Pick<Video, 'title' | 'description'>> = {};
    if (dto.title !== undefined) changes.title = dto.title;
    if (dto.description !== undefined) changes.description = dto.description;
    await this.videos.updateOwned(userId, id, changes);
    return this.get(userId, id);
  }

  private async replay(userId: string, existing: { videoId: string | null; requestHash: string }, hash: string): Promise<VideoDto> {
    if (existing.requestHash !== hash) {
      throw new UnprocessableEntityException('This Idempotency-Key was already used with a different request body; use a new key for a new request');
    }
    if (!existing.videoId) throw new ConflictException('The video made for this Idempotency-Key is gone; use a new key');
    return this.get(userId, existing.videoId);
  }

  /** Stops work still running, removes the jobs, the files and the rows. */
  async remove(userId: string, id: string): Promise<void> {
    await this.removeVideo(await this.find(userId, id));
  }

  /** Every video of the user, each as remove() does it (account deletion). */
  async removeAllOf(userId: string): Promise<void> {
    for (const video of await this.videos.listForRemoval(userId)) await this.removeVideo(video);
  }

  private async removeVideo(video: Pick<Video, 'id' | 'promptId' | 'slideCount'>): Promise<void> {
    // Rows first: a worker that checks between steps then sees the video gone and stops.
    await this.prompts.deleteWithVideo(video.promptId);
    // Polls answer 404 at once, not the snapshot of what was just deleted.
    await this.snapshots.remove(video.id);
    // Also for finished videos: their completed or failed jobs are removed from Redis too.
    await this.pipeline.cancel(video.id, video.slideCount);
    await this.storage.deletePrefix(videoKeys.prefix(video.id));
  }

  /**
   * Cancels a video still in progress: the row says `cancelled` first (workers re-check it
   * between steps), then running jobs are aborted and queued ones removed. The worker removes
   * the partial outputs of the stage it was in; the video, its rows and finished work stay.
   */
  async cancel(userId: string, id: string): Promise<VideoDto> {
    const video = await this.find(userId, id);
    if (!(await this.videos.cancel(id))) {
      const status = (await this.videos.findStatus(id)) ?? video.status;
      throw new ConflictException(`The video is already ${status}; only a video in progress can be cancelled`);
    }
    this.metrics.videosFinished.inc({ status: 'cancelled' });
    await this.pipeline.cancel(id, video.slideCount);
    return this.get(userId, id);
  }

  /**
   * Retries a failed or cancelled video from the stage that did not finish: the deck when
   * slides or their images are missing, else the voice/stitch flow (voice jobs find their
   * audio stored or cached and call no provider again).
   */
  async retry(userId: string, id: string): Promise<VideoDto> {
    const video = await this.find(userId, id);
    if (video.status !== VideoStatus.Failed && video.status !== VideoStatus.Cancelled) {
      throw new ConflictException(`Only a failed or cancelled video can be retried (status: ${video.status})`);
    }
    const from = await this.resumePoint(video);
    let busy: string[];
    try {
      busy = await this.pipeline.busyJobs(id, video.slideCount);
    } catch {
      throw new ServiceUnavailableException('The job queue is unavailable, so nothing was retried; try again shortly');
    }
    if (busy.length) throw new ConflictException('The work stopped by the cancel is still ending; retry in a few seconds');
    const reopened =
      from.stage === 'slides'
        ? await this.videos.reopenForRetry(id, VideoStatus.Queued, 'Waiting in the queue')
        : await this.videos.reopenForRetry(id, VideoStatus.GeneratingVoice, `Voicing ${from.slideNumbers.length} slides`);
    if (!reopened) throw new ConflictException('The video changed meanwhile (another retry?); fetch it again');
    try {
      await this.pipeline.resume(id, video.slideCount, from);
    } catch {
      // Not left "in progress" with no job: it fails again, saying why, and can be retried.
      await this.videos.fail(id, 'Retry could not be queued: the job queue was unavailable; retry again');
      throw new ServiceUnavailableException('The job queue is unavailable, so nothing was retried; try again shortly');
    }
    return this.get(userId, id);
  }

  private async resumePoint(video: Video): Promise<RestartFrom> {
    const rows = await this.slides.findForStitch(video.promptId);
    const imagesStored = await Promise.all(rows.map(async (r) => !!r.imageUrl && !!(await this.storage.stat(r.imageUrl))));
    if (rows.length !== video.slideCount || imagesStored.includes(false)) return { stage: 'slides' };
    return { stage: 'voice', slideNumbers: rows.map((r) => r.slideNumber) };
  }

  /** Where a completed video's file is; 409 while it is not completed. */
  async asset(userId: string, id: string, asset: VideoAsset): Promise<AssetInfo> {
    const video = await this.find(userId, id);
    if (video.status !== VideoStatus.Completed) {
      throw new ConflictException(`The video is not ready yet (status: ${video.status}); try again when it is completed`);
    }
    const spec = ASSET[asset];
    const key = spec.key(id);
    const stat = await this.storage.stat(key);
    const info = { key, contentType: spec.type, filename: `${safeFilename(video.title)}.${spec.ext}`, updatedAt: video.updatedAt };
    if (!stat && asset === 'subtitles') {
      // Videos stitched before SubRip was stored have only the WebVTT: the same cues, converted.
      const vtt = await this.storage.get(videoKeys.captions(id)).catch(() => null);
      if (!vtt) throw new NotFoundException('The captions of this video are missing from storage');
      const body = Buffer.from(webVttToSubRip(vtt.toString('utf8')), 'utf8');
      return { ...info, size: body.length, body };
    }
    if (!stat) throw new NotFoundException(`The ${asset === 'subtitles' ? 'captions' : asset} of this video is missing from storage`);
    return { ...info, size: stat.size };
  }

  /** A short-lived URL of the store that serves the file (and its ranges) with the api's headers. */
  assetUrl(a: AssetInfo): Promise<string> {
    return this.storage.readUrl(a.key, {
      expiresInSeconds: this.delivery.redirectTtlSeconds,
      contentType: a.contentType,
      contentDisposition: contentDisposition(a.filename),
    });
  }

  private async find(userId: string, id: string): Promise<Video> {
    const video = await this.videos.findOwned(userId, id);
    // Another user's video answers exactly like a missing one.
    if (!video) throw new NotFoundException('Video not found');
    return video;
  }
}

/** Inline, with an ASCII fallback name and the exact one in RFC 5987 form. */
export function contentDisposition(filename: string): string {
  return `inline; filename="${filename.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

function safeFilename(title: string): string {
  return (
    title
      .replace(/[^\p{L}\p{N} _.-]+/gu, '')
      .trim()
      .slice(0, 80) || 'video'
  );
}
