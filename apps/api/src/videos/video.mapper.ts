import { type Prompt, type Video, VideoStatus } from '@app/db';
import type { VideoDto } from './video.dto.js';

export const VIDEOS_PATH = '/api/v1/videos';

/**
 * `sign` turns a media path into a signed URL (see SignedUrlService), so the
 * links work in <video src> and EventSource, which send no bearer token.
 */
export function toVideoDto(video: Video, prompt: Pick<Prompt, 'content'>, sign: (path: string) => string): VideoDto {
  const self = `${VIDEOS_PATH}/${video.id}`;
  const done = video.status === VideoStatus.Completed;
  return {
    id: video.id,
    title: video.title,
    description: video.description,
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
    providers: { llm: video.llmProvider, model: video.llmModel, tts: video.ttsProvider },
    usage: {
      llmInputTokens: video.usage.llmInputTokens ?? 0,
      llmOutputTokens: video.usage.llmOutputTokens ?? 0,
      ttsCharacters: video.usage.ttsCharacters ?? 0,
      cacheHits: video.usage.cacheHits ?? 0,
      cacheMisses: video.usage.cacheMisses ?? 0,
    },
    createdAt: video.createdAt,
    updatedAt: video.updatedAt,
    completedAt: video.completedAt,
    links: {
      self,
      file: done ? sign(`${self}/file`) : null,
      thumbnail: done ? sign(`${self}/thumbnail`) : null,
      captions: done ? sign(`${self}/captions`) : null,
      events: sign(`${self}/events`),
    },
  };
}

/** A title from the prompt when the user gave none: its first words, cut at a word boundary. */
export function titleFromPrompt(prompt: string, max = 80): string {
  const oneLine = prompt.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= max) return oneLine;
  const cut = oneLine.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?-]+$/, '')}…`;
}
