import { Injectable, NotFoundException } from '@nestjs/common';
import { SlideRepository, VideoRepository, VideoStatus } from '@app/db';
import type { VideoSlidesDto } from './video-slides.dto.js';

/** A video's deck as players need it for a transcript or a table of contents. */
@Injectable()
export class VideoSlidesService {
  constructor(
    private readonly videos: VideoRepository,
    private readonly slides: SlideRepository,
  ) {}

  async list(userId: string, videoId: string): Promise<VideoSlidesDto> {
    const video = await this.videos.findOwned(userId, videoId);
    if (!video) throw new NotFoundException('Video not found');
    const rows = await this.slides.listForPrompt(video.promptId);
    // Times are only final once the video is stitched; a retried stitch rewrites them.
    const timed = video.status === VideoStatus.Completed;
    return {
      items: rows.map((s) => ({
        number: s.slideNumber,
        title: s.title,
        bullets: s.bullets,
        narration: s.text,
        startSeconds: timed ? round3(s.startSeconds) : null,
        endSeconds: timed ? round3(s.endSeconds) : null,
        visual: s.picture && { kind: s.picture.kind, source: s.picture.source, attribution: s.picture.attribution ?? null },
      })),
    };
  }
}

function round3(x: number | null): number | null {
  return x === null ? null : Math.round(x * 1000) / 1000;
}
