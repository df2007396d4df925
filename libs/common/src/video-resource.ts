import type { Prompt, Video, VideoStatus } from '@app/db';
import type { CaptionMode, CaptionStyle } from './video-options.js';

/**
 * The video resource: what `GET /api/v1/videos/{id}` answers and what every webhook event
 * carries as `data`. One mapping for both, so a client can treat an event's data exactly
 * as the resource it would have fetched. The api's Swagger classes (VideoDto) implement
 * these interfaces; the worker builds event bodies with the same function.
 *
 * Only type imports from @app/db: this module loads nothing at run time, so @app/common
 * stays free of TypeORM for the libraries (media, ai) that import it.
 */
export const VIDEOS_PATH = '/api/v1/videos';

const COMPLETED: `${VideoStatus.Completed}` = 'completed';

export interface VideoLinks {
  self: string;
  file: string | null;
  thumbnail: string | null;
  captions: string | null;
  events: string;
}

export interface VideoUsageFigures {
  llmInputTokens: number;
  llmOutputTokens: number;
  ttsCharacters: number;
  cacheHits: number;
  cacheMisses: number;
  images: number;
}

export interface VideoProviders {
  llm: string | null;
  model: string | null;
  tts: string | null;
  image: string | null;
}

export interface VideoResource {
  id: string;
  title: string;
  description: string;
  /** The client's own labels from POST /videos/generate ({} when none were given). */
  metadata: Record<string, string>;
  prompt: string;
  status: VideoStatus;
  stage: string;
  progress: number;
  error: string | null;
  slideCount: number;
  durationSeconds: number | null;
  aspectRatio: string;
  language: string;
  voice: string | null;
  theme: string;
  captions: CaptionMode;
  captionStyle: CaptionStyle;
  providers: VideoProviders;
  usage: VideoUsageFigures;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  links: VideoLinks;
}

/** The resource less its links: the same for every reader, so it can be kept ready-made (the polling route's snapshots). */
export type VideoState = Omit<VideoResource, 'links'>;

/**
 * `sign` turns a media path into a signed URL (SignedUrlService in @app/auth, for the
 * video's owner), so the links work in <video src> and EventSource, which send no bearer
 * token. Key order is the order of the JSON the api has always answered with.
 */
export function toVideoResource(video: Video, prompt: Pick<Prompt, 'content'>, sign: (path: string) => string): VideoResource {
  return { ...toVideoState(video, prompt), links: videoLinks(video.id, video.status, sign) };
}

export function toVideoState(video: Video, prompt: Pick<Prompt, 'content'>): VideoState {
  return {
    id: video.id,
    title: video.title,
    description: video.description,
    metadata: video.metadata,
    prompt: prompt.content,
    status: video.status,
    stage: video.stage,
    progress: video.progress,
    error: video.error,
    slideCount: video.slideCount,
    durationSeconds: video.duration === null ? null : Math.round(video.duration * 1000) / 1000,
    aspectRatio: video.aspectRatio,
    language: video.language,
    voice: video.voice,
    theme: video.theme,
    captions: video.captions,
    captionStyle: video.captionStyle,
    providers: { llm: video.llmProvider, model: video.llmModel, tts: video.ttsProvider, image: video.imageProvider },
    usage: {
      llmInputTokens: video.usage.llmInputTokens ?? 0,
      llmOutputTokens: video.usage.llmOutputTokens ?? 0,
      ttsCharacters: video.usage.ttsCharacters ?? 0,
      cacheHits: video.usage.cacheHits ?? 0,
      cacheMisses: video.usage.cacheMisses ?? 0,
      images: video.usage.images ?? 0,
    },
    createdAt: video.createdAt,
    updatedAt: video.updatedAt,
    completedAt: video.completedAt,
  };
}

/** The signed media links: file, thumbnail and captions only once the video is completed. */
export function videoLinks(id: string, status: string, sign: (path: string) => string): VideoLinks {
  const self = `${VIDEOS_PATH}/${id}`;
  const done = status === COMPLETED;
  return {
    self,
    file: done ? sign(`${self}/file`) : null,
    thumbnail: done ? sign(`${self}/thumbnail`) : null,
    captions: done ? sign(`${self}/captions`) : null,
    events: sign(`${self}/events`),
  };
}

/**
 * The resource's JSON from the JSON of its state (JSON.stringify of a VideoState) and its
 * links: byte for byte what JSON.stringify(toVideoResource(…)) gives, without building
 * the object again.
 */
export function videoResourceJson(stateJson: string, links: VideoLinks): string {
  return `${stateJson.slice(0, -1)},"links":${JSON.stringify(links)}}`;
}
