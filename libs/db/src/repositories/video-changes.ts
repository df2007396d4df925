import type { Prompt } from '../entities/prompt.entity.js';
import type { Video } from '../entities/video.entity.js';

/** A video row with its prompt's text: all its public state (the video resource, less its signed links). */
export interface VideoPublicState {
  video: Video;
  prompt: Pick<Prompt, 'content'>;
}

/** Reads a video's public state; VideoRepository is one. */
export interface VideoStateSource {
  findPublicState(id: string): Promise<VideoPublicState | null>;
}

/**
 * Told by VideoRepository after every committed change of a video's public state, so a
 * copy kept elsewhere (the snapshots in Redis the polling route reads, @app/jobs) follows
 * every writer, api and worker alike, without any caller having to remember it. The
 * repository stays SQL only: what to do with the news is the listener's. Never throws.
 */
export abstract class VideoChanges {
  abstract changed(id: string, source: VideoStateSource): Promise<void>;
}
