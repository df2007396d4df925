import { Module } from '@nestjs/common';
import { MediaRunner, SpawnMediaRunner } from './media-runner.js';
import { CaptionBurner } from './caption-burner.js';
import { CaptionRenderer } from './caption-renderer.js';
import { SlideRenderer } from './slide-renderer.js';
import { SegmentEncoder } from './slide-segment.js';
import { VideoStitcher } from './video-stitcher.js';

/**
 * The worker's media tools, one instance each: the stages and the narrators (which
 * probe and join audio) share one MediaRunner, the only way ffmpeg and ffprobe run.
 */
@Module({
  providers: [
    { provide: MediaRunner, useFactory: () => new SpawnMediaRunner() },
    { provide: SlideRenderer, useFactory: () => new SlideRenderer() },
    { provide: VideoStitcher, inject: [MediaRunner], useFactory: (runner: MediaRunner) => new VideoStitcher(runner) },
    { provide: CaptionBurner, useFactory: () => new CaptionBurner(new CaptionRenderer()) },
    {
      provide: SegmentEncoder,
      inject: [MediaRunner, CaptionBurner],
      useFactory: (runner: MediaRunner, burner: CaptionBurner) => new SegmentEncoder(runner, burner),
    },
  ],
  exports: [MediaRunner, SlideRenderer, VideoStitcher, CaptionBurner, SegmentEncoder],
})
export class MediaModule {}
