import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { CaptionMode, CaptionStyle, SpeechTiming } from '@app/common';
import type { WorkerConfig } from '@app/config';
import {
  ASPECT_RATIOS,
  type AspectRatio,
  SegmentEncoder,
  segmentFingerprint,
  type SegmentSpec,
  slideCaptionCues,
  slideWindowMs,
  withScratchDir,
} from '@app/media';
import { Storage, StorageObjectNotFoundError, videoKeys } from '@app/storage';
import { LiveVideo } from './live-video.service.js';

/** What a slide's segment is made from, as the voice job and the stitch both know it. */
export interface SegmentSlide {
  slideNumber: number;
  text: string;
  imageUrl: string | null;
  durationSeconds: number;
  timing: SpeechTiming | null;
}
export interface SegmentVideo {
  id: string;
  aspectRatio: string;
  captions: CaptionMode;
  captionStyle: CaptionStyle;
}

/**
 * Each slide's video segment, encoded in its voice job (off the stitch's critical path) and
 * stored beside its audio under a key naming everything it shows (segmentFingerprint), so a
 * retried job or a cached voice finds it, and a changed slide never gets a stale one.
 */
@Injectable()
export class SlideSegments {
  private readonly config: WorkerConfig;

  constructor(
    private readonly storage: Storage,
    private readonly encoder: SegmentEncoder,
    private readonly live: LiveVideo,
    config: ConfigService,
  ) {
    this.config = config.getOrThrow<WorkerConfig>('worker');
  }

  /** The segment's spec and storage key; undefined when the slide image is not stored. */
  async plan(video: SegmentVideo, slide: SegmentSlide): Promise<{ spec: SegmentSpec; key: string } | undefined> {
    const image = slide.imageUrl ? await this.storage.stat(slide.imageUrl) : undefined;
    if (!slide.imageUrl || !image) return undefined;
    const { width, height } = ASPECT_RATIOS[video.aspectRatio as AspectRatio] ?? ASPECT_RATIOS['16:9'];
    const windowMs = slideWindowMs(slide.durationSeconds, this.config.slidePauseSeconds);
    const spec: SegmentSpec = { imageKey: slide.imageUrl, imageBytes: image.size, windowMs, width, height };
    if (video.captions === 'burned') {
      // The slide's cues on its own window from 0: the same as the whole video's, shifted.
      const cues = slideCaptionCues({ narration: slide.text, timing: slide.timing, startSeconds: 0, endSeconds: windowMs / 1000 }, 0);
      spec.burned = { cues, style: video.captionStyle, aspectRatio: video.aspectRatio as AspectRatio };
    }
    return { spec, key: videoKeys.slideSegment(video.id, slide.slideNumber, segmentFingerprint(spec)) };
  }

  /**
   * The voice job's part: encodes and stores the segment unless it is stored already.
   * One encoder thread: the voice queue runs several jobs at once on each worker.
   */
  async ensure(video: SegmentVideo, slide: SegmentSlide, signal?: AbortSignal): Promise<'stored' | 'encoded' | 'no-image'> {
    const planned = await this.plan(video, slide);
    if (!planned) return 'no-image';
    if (await this.storage.stat(planned.key)) return 'stored';
    await withScratchDir(this.config.workDir, `segment-${video.id}-${slide.slideNumber}`, async (dir) => {
      const imagePath = await this.storage.download(planned.spec.imageKey, dir);
      const outPath = join(dir, 'segment.mp4');
      await this.encoder.encode({ spec: planned.spec, imagePath, outPath, workDir: join(dir, 'captions'), threads: 1, signal });
      await this.live.ensureLive(video.id);
      await this.storage.upload(planned.key, outPath);
    });
    return 'encoded';
  }

  /** The stitch's part: a local copy of the stored segment, or undefined when there is none (the stitch encodes it). */
  async fetch(video: SegmentVideo, slide: SegmentSlide, workDir: string): Promise<string | undefined> {
    const planned = await this.plan(video, slide);
    if (!planned) return undefined;
    try {
      return await this.storage.download(planned.key, workDir);
    } catch (e) {
      if (e instanceof StorageObjectNotFoundError) return undefined;
      throw e;
    }
  }
}
