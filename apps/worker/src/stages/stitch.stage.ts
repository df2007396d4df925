import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { WorkerConfig } from '@app/config';
import { buildSubRip, buildWebVtt } from '@app/common';
import { SlideRepository, VideoRepository, VideoStatus } from '@app/db';
import {
  ASPECT_RATIOS,
  type AspectRatio,
  buildCaptionCues,
  CaptionBurner,
  makeThumbnail,
  mp4DurationSeconds,
  VideoStitcher,
  withScratchDir,
} from '@app/media';
import { WorkerMetrics } from '@app/observability';
import { Storage, videoKeys } from '@app/storage';
import { LiveVideo } from './live-video.service.js';
import { SlideSegments } from './slide-segments.service.js';
import { StepTimer } from './step-timer.js';

/** Stage 3: the slides' segments (or PNGs) + narration → MP4, captions and thumbnail; the video is completed. */
@Injectable()
export class StitchStage {
  private readonly logger = new Logger(StitchStage.name);
  private readonly config: WorkerConfig;

  constructor(
    private readonly live: LiveVideo,
    private readonly videos: VideoRepository,
    private readonly slides: SlideRepository,
    private readonly stitcher: VideoStitcher,
    private readonly burner: CaptionBurner,
    private readonly storage: Storage,
    private readonly metrics: WorkerMetrics,
    private readonly segments: SlideSegments,
    config: ConfigService,
  ) {
    this.config = config.getOrThrow<WorkerConfig>('worker');
  }

  async run(videoId: string, signal?: AbortSignal): Promise<{ durationSeconds: number }> {
    const { video, prompt } = await this.live.load(videoId);
    if (video.status === VideoStatus.Completed && video.duration && (await this.storage.stat(videoKeys.video(videoId)))) {
      return { durationSeconds: video.duration };
    }
    const rows = await this.slides.findForStitch(prompt.id);
    const missing = rows.filter((r) => !r.imageUrl || !r.audioUrl || !r.duration).map((r) => r.slideNumber);
    if (!rows.length || missing.length) throw new Error(`slides ${missing.join(', ') || '(all)'} have no image or narration yet`);

    await this.videos.advanceStatus(videoId, VideoStatus.Rendering, 'Encoding the video', 76);
    // The job's own folder: inputs are downloaded into it, the MP4 is made there and uploaded;
    // it is removed on success, failure and cancellation, and swept at start after a crash.
    return withScratchDir(this.config.workDir, `stitch-${videoId}`, async (workDir) => {
      const steps = new StepTimer();
      const { width, height } = ASPECT_RATIOS[video.aspectRatio as AspectRatio] ?? ASPECT_RATIOS['16:9'];
      const outPath = join(workDir, 'video.mp4');
      let reported = 0;
      // Cues are planned on the windows the stitcher will use, so burned and sidecar captions agree.
      const windows = this.stitcher.plan(
        rows.map((r) => r.duration!),
        this.config.slidePauseSeconds,
      ).slides;
      const cues = buildCaptionCues(rows.map((r, i) => ({ narration: r.text, timing: r.timing, ...windows[i]! })));
      // Each slide's segment and audio chunk were encoded by its voice job; one that is missing (a video voiced
      // by an older version, storage lost it) is encoded here from the slide image, as before.
      const slides = await Promise.all(
        rows.map(async (r, i) => {
          // The narration itself only when its audio chunk is missing (the stitch then encodes it).
          const { segmentPath, audioChunkPath } = await this.segments.fetch(video, { ...r, durationSeconds: r.duration! }, workDir);
          const audioPath = audioChunkPath ? '' : await this.storage.download(r.audioUrl!, workDir);
          const slide = { audioPath, audioDurationSeconds: r.duration!, title: r.title, segmentPath, audioChunkPath, imagePath: '' };
          if (segmentPath) return slide;
          const imagePath = await this.storage.download(r.imageUrl!, workDir);
          const changes =
            video.captions === 'burned'
              ? await this.burner.burn({
                  slides: [{ imagePath, ...windows[i]! }],
                  cues: cues.filter((c) => c.slideIndex === i).map((c) => ({ ...c, slideIndex: 0 })),
                  aspectRatio: video.aspectRatio as AspectRatio,
                  style: video.captionStyle,
                  workDir,
                })
              : [];
          return { ...slide, imagePath, changes: changes[0] };
        }),
      );
      const made = slides.filter((s) => !s.segmentPath).length;
      steps.mark('fetch');
      // The thumbnail is drawn in this process while ffmpeg joins in another.
      const thumbnail = makeThumbnail(await this.storage.get(rows[0]!.imageUrl!));
      // The encode alone, as `npm run bench` measures it: downloads and uploads are the storage's time.
      const encodeStarted = performance.now();
      await this.stitcher.stitch({
        slides,
        width,
        height,
        pauseSeconds: this.config.slidePauseSeconds,
        outPath,
        workDir,
        signal,
        onProgress: (fraction) => {
          // Throttled: a row update per 5 % is plenty for a progress bar.
          const pct = 76 + Math.floor(fraction * 20);
          if (pct >= reported + 1) {
            reported = pct;
            void this.videos
              .reportProgress(videoId, VideoStatus.Rendering, `Encoding the video (${Math.round(fraction * 100)} %)`, pct)
              .catch(() => undefined);
          }
        },
      });
      const encodeSeconds = (performance.now() - encodeStarted) / 1000;
      steps.mark('join');
      // The stored length is the file's own (its movie header, what ffprobe would report), read in-process.
      const durationSeconds = await mp4DurationSeconds(outPath);
      steps.mark('length');

      await this.live.ensureLive(videoId);
      await this.slides.setTimes(prompt.id, windows);
      await Promise.all([
        this.storage.upload(videoKeys.video(videoId), outPath),
        thumbnail.then((jpeg) => this.storage.put(videoKeys.thumbnail(videoId), jpeg)),
        this.storage.put(videoKeys.captions(videoId), Buffer.from(buildWebVtt(cues), 'utf8')),
        this.storage.put(videoKeys.captionsSrt(videoId), Buffer.from(buildSubRip(cues), 'utf8')),
      ]);
      steps.mark('upload');
      const completed = await this.videos.complete(videoId, {
        duration: durationSeconds,
        videoUrl: videoKeys.video(videoId),
        thumbnailUrl: videoKeys.thumbnail(videoId),
        captionsUrl: videoKeys.captions(videoId),
      });
      // After `completed`, so it costs the client nothing; a failure leaves only intermediates
      // behind (deleted with the video), never a failed job for a finished video.
      await this.segments.discard(videoId).catch((e: unknown) => this.logger.warn(`video ${videoId}: segments not removed: ${String(e)}`));
      if (encodeSeconds > 0) this.metrics.stitchRealtimeFactor.observe(durationSeconds / encodeSeconds);
      if (completed) this.metrics.videoFinished('completed', video.createdAt);
      steps.mark('complete');
      this.logger.log(`video ${videoId}: completed, ${durationSeconds.toFixed(2)} s; ${made} of ${rows.length} segments made here; ${steps}`);
      return { durationSeconds };
    });
  }
}
