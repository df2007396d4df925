import { Injectable } from '@nestjs/common';
import { type Prompt, PromptRepository, type Video, VideoRepository, VideoStatus } from '@app/db';
import { VideoGone } from './video-gone.error.js';

/**
 * The worker's view of "is this video still wanted": a video that was deleted or
 * cancelled while its job ran turns into VideoGone, which stops the stage.
 */
@Injectable()
export class LiveVideo {
  constructor(
    private readonly videos: VideoRepository,
    private readonly prompts: PromptRepository,
  ) {}

  /** The video and its prompt; throws VideoGone when it was deleted or cancelled. */
  async load(videoId: string): Promise<{ video: Video; prompt: Prompt }> {
    const video = await this.videos.findById(videoId);
    if (!video || video.status === VideoStatus.Cancelled) throw new VideoGone(videoId);
    const prompt = await this.prompts.findById(video.promptId);
    if (!prompt) throw new VideoGone(videoId);
    return { video, prompt };
  }

  /** Checkpoint between steps: throws VideoGone when the video was deleted meanwhile. */
  async ensureLive(videoId: string): Promise<void> {
    const status = await this.videos.findStatus(videoId);
    if (!status || status === VideoStatus.Cancelled) throw new VideoGone(videoId);
  }
}
