import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { CaptionMode, CaptionStyle, SpeechTiming } from '@app/common';
import type { WorkerConfig } from '@app/config';
import {
  ASPECT_RATIOS,
  type AspectRatio,
  audioChunkFingerprint,
  SegmentEncoder,
  segmentFingerprint,
  type SegmentSpec,
  slideCaptionCues,
  slideWindowFrames,
  framesToSeconds,
  withScratchDir,
} from '@app/media';
import { Storage, StorageObjectNotFoundError, videoKeys } from '@app/storage';
import { LiveVideo } from './live-video.service.js';

/** What a slide's segment is made from, as the voice job and the stitch both know it. */
export interface SegmentSlide {
  slideNumber: number;
  text: string;
  imageUrl: string | null;
  /** The narration's storage key: the audio chunk is encoded from it. */
  audioUrl: string | null;
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
 * Each slide's video segment and audio chunk (its narration as AAC frames for its window),
 * encoded in its voice job (off the stitch's critical path) and stored under keys naming
 * everything they hold (segmentFingerprint, audioChunkFingerprint), so a retried job or a
 * cached voice finds them, and a changed slide never gets a stale one.
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

  /**
   * Removes every slide's segment and audio chunk: once the MP4 is stored they are only
   * storage a user pays for and never sees (a retry of a finished video has nothing to join).
   */
  async discard(videoId: string): Promise<void> {
    await Promise.all([
      this.storage.deletePrefix(videoKeys.slideSegmentsFolder(videoId)),
      this.storage.deletePrefix(videoKeys.slideAudioChunksFolder(videoId)),
    ]);
  }

  /** The segment's spec and storage key; undefined when the slide image is not stored. */
  async plan(video: SegmentVideo, slide: SegmentSlide): Promise<{ spec: SegmentSpec; key: string } | undefined> {
    const image = slide.imageUrl ? await this.storage.stat(slide.imageUrl) : undefined;
    if (!slide.imageUrl || !image) return undefined;
    const { width, height } = ASPECT_RATIOS[video.aspectRatio as AspectRatio] ?? ASPECT_RATIOS['16:9'];
    const windowFrames = this.windowFrames(slide);
    const spec: SegmentSpec = { imageKey: slide.imageUrl, imageBytes: image.size, windowFrames, width, height };
    if (video.captions === 'burned') {
      // The slide's cues on its own window from 0: the same as the whole video's, shifted.
      const cues = slideCaptionCues({ narration: slide.text, timing: slide.timing, startSeconds: 0, endSeconds: framesToSeconds(windowFrames) }, 0);
      spec.burned = { cues, style: video.captionStyle, aspectRatio: video.aspectRatio as AspectRatio };
    }
    return { spec, key: videoKeys.slideSegment(video.id, slide.slideNumber, segmentFingerprint(spec)) };
  }

  private windowFrames(slide: SegmentSlide): number {
    return slideWindowFrames(slide.durationSeconds, this.config.slidePauseSeconds);
  }

  /** The audio chunk's window and storage key; undefined when the narration is not stored. */
  planAudio(video: SegmentVideo, slide: SegmentSlide): { windowFrames: number; key: string } | undefined {
    if (!slide.audioUrl) return undefined;
    const windowFrames = this.windowFrames(slide);
    return { windowFrames, key: videoKeys.slideAudioChunk(video.id, slide.slideNumber, audioChunkFingerprint(slide.audioUrl, windowFrames)) };
  }

  /**
   * The voice job's part: encodes and stores the segment and the audio chunk unless stored
   * already, both in one ffmpeg run when both are missing (its start is a good part of the
   * cost of either). One encoder thread: the voice queue runs several jobs at once on each worker.
   */
  async ensure(video: SegmentVideo, slide: SegmentSlide, signal?: AbortSignal): Promise<'stored' | 'encoded' | 'no-image'> {
    const segment = await this.plan(video, slide);
    const chunk = this.planAudio(video, slide);
    const [segmentStored, chunkStored] = await Promise.all([
      segment ? this.storage.stat(segment.key) : undefined,
      chunk ? this.storage.stat(chunk.key) : undefined,
    ]);
    const needSegment = segment && !segmentStored ? segment : undefined;
    const needChunk = chunk && !chunkStored ? chunk : undefined;
    if (needSegment || needChunk) {
      await withScratchDir(this.config.workDir, `segment-${video.id}-${slide.slideNumber}`, async (dir) => {
        const [imagePath, audioPath] = await Promise.all([
          needSegment && this.storage.download(needSegment.spec.imageKey, dir),
          needChunk && this.storage.download(slide.audioUrl!, dir),
        ]);
        const segmentPath = join(dir, 'segment.mp4');
        const audio = needChunk && { audioPath: audioPath!, windowFrames: needChunk.windowFrames, outPath: join(dir, 'chunk.aac') };
        if (needSegment) {
          await this.encoder.encode({
            spec: needSegment.spec,
            imagePath: imagePath!,
            outPath: segmentPath,
            workDir: join(dir, 'captions'),
            threads: 1,
            audio,
            signal,
          });
        } else {
          await this.encoder.encodeAudio({ ...audio!, signal });
        }
        await this.live.ensureLive(video.id);
        await Promise.all([
          needSegment && this.storage.upload(needSegment.key, segmentPath),
          needChunk && this.storage.upload(needChunk.key, audio!.outPath),
        ]);
      });
    }
    return !segment ? 'no-image' : needSegment ? 'encoded' : 'stored';
  }

  /** The stitch's part: local copies of the stored segment and audio chunk, each undefined when missing (the stitch encodes it). */
  async fetch(video: SegmentVideo, slide: SegmentSlide, workDir: string): Promise<{ segmentPath?: string; audioChunkPath?: string }> {
    const [segmentPath, audioChunkPath] = await Promise.all([
      this.plan(video, slide).then((p) => this.download(p?.key, workDir)),
      this.download(this.planAudio(video, slide)?.key, workDir),
    ]);
    return { segmentPath, audioChunkPath };
  }

  private async download(key: string | undefined, workDir: string): Promise<string | undefined> {
    if (!key) return undefined;
    try {
      return await this.storage.download(key, workDir);
    } catch (e) {
      if (e instanceof StorageObjectNotFoundError) return undefined;
      throw e;
    }
  }
}
