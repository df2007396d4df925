import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { audioCacheKey, GenerationCache, Narrator } from '@app/ai';
import type { TtsConfig } from '@app/config';
import { SlideRepository, VideoRepository, VideoStatus, VoiceoverRepository } from '@app/db';
import { WorkerMetrics } from '@app/observability';
import { Storage } from '@app/storage';
import { meteredCall } from '../observability/metered-call.js';
import { LiveVideo } from './live-video.service.js';
import { type SegmentSlide, type SegmentVideo, SlideSegments } from './slide-segments.service.js';
import { StepTimer } from './step-timer.js';
import { VideoGone } from './video-gone.error.js';

/** What a voice job returns (kept in BullMQ with the job; the stitch stage reads the rows, not this). */
export interface VoicedSlide {
  slideNumber: number;
  audioKey: string;
  durationSeconds: number;
}

/**
 * Stage 2, one job per slide: narration → audio (cached by content) → voiceover row, then
 * the slide's video segment (SlideSegments), so the stitch only joins.
 */
@Injectable()
export class VoiceStage {
  private readonly logger = new Logger(VoiceStage.name);
  private readonly speakingRate: number;

  constructor(
    private readonly live: LiveVideo,
    private readonly videos: VideoRepository,
    private readonly slides: SlideRepository,
    private readonly voiceovers: VoiceoverRepository,
    private readonly narrator: Narrator,
    private readonly cache: GenerationCache,
    private readonly storage: Storage,
    private readonly metrics: WorkerMetrics,
    private readonly segments: SlideSegments,
    config: ConfigService,
  ) {
    this.speakingRate = config.getOrThrow<TtsConfig>('tts').speakingRate;
  }

  async run(videoId: string, slideNumber: number, signal?: AbortSignal): Promise<VoicedSlide> {
    const steps = new StepTimer();
    const { video, prompt } = await this.live.load(videoId);
    const slide = await this.slides.findByNumber(prompt.id, slideNumber);
    if (!slide) throw new Error(`slide ${slideNumber} is missing from the deck`);

    const existing = await this.voiceovers.findForSlide(slide.id);
    if (existing && existing.text === slide.text && (await this.storage.stat(existing.audioUrl))) {
      // A retried job: the segment may be what the last attempt did not get to.
      await this.encodeSegment(
        video,
        { ...slideOf(slide), audioUrl: existing.audioUrl, durationSeconds: existing.duration, timing: existing.timing ?? null },
        signal,
      );
      return { slideNumber, audioKey: existing.audioUrl, durationSeconds: existing.duration };
    }

    const request = { text: slide.text, language: video.language, voice: video.voice ?? undefined, speakingRate: this.speakingRate, signal };
    // The engine that speaks this language (Festival routes other languages to espeak-ng):
    // its name is what the cache key, the metrics and the video record.
    const speaker = this.narrator.speakerFor(request);
    const provider = speaker.provider;
    const voice = await speaker.resolveVoice(request);
    const key = audioCacheKey({
      provider,
      voice,
      language: video.language,
      speakingRate: this.speakingRate,
      format: speaker.audioFormat,
      text: slide.text,
    });
    const audio = await this.cache.audio(key, provider, voice, () => meteredCall(this.metrics, 'tts', provider, () => speaker.narrate(request)));
    this.metrics.cacheLookups.inc({ kind: 'audio', result: audio.hit ? 'hit' : 'miss' });
    this.metrics.ttsCharacters.inc({ provider }, audio.characters);
    steps.mark('narrate');

    await this.live.ensureLive(videoId);
    await this.voiceovers.upsertForSlide({
      slideId: slide.id,
      audioUrl: audio.storageKey,
      duration: audio.durationSeconds,
      text: slide.text,
      voice,
      timing: audio.timing,
    });
    await this.videos.setProviders(videoId, { ttsProvider: provider });
    await this.videos.addUsage(videoId, { ttsCharacters: audio.characters, ...(audio.hit ? { cacheHits: 1 } : { cacheMisses: 1 }) });
    steps.mark('record');
    await this.encodeSegment(
      video,
      { ...slideOf(slide), audioUrl: audio.storageKey, durationSeconds: audio.durationSeconds, timing: audio.timing ?? null },
      signal,
    );
    steps.mark('segment');

    const done = await this.voiceovers.countVoicedForPrompt(prompt.id);
    await this.videos.reportProgress(
      videoId,
      VideoStatus.GeneratingVoice,
      `Voiced ${done} of ${video.slideCount} slides`,
      25 + (50 * done) / video.slideCount,
    );
    steps.mark('progress');
    // Debug only: a line per slide is too many for the default level.
    this.logger.debug(`video ${videoId} slide ${slideNumber}: voiced, ${audio.durationSeconds.toFixed(2)} s; ${steps}`);
    return { slideNumber, audioKey: audio.storageKey, durationSeconds: audio.durationSeconds };
  }

  /**
   * The segment is an optimisation of the stitch, which encodes any it does not find: a
   * failed encode is logged, not a failed voice job. Cancellation and deletion still stop it.
   */
  private async encodeSegment(video: SegmentVideo, slide: SegmentSlide, signal?: AbortSignal): Promise<void> {
    try {
      await this.segments.ensure(video, slide, signal);
    } catch (e) {
      if (signal?.aborted || e instanceof VideoGone) throw e;
      this.logger.warn(`video ${video.id} slide ${slide.slideNumber}: segment not encoded, the stitch will: ${(e as Error).message}`);
    }
  }
}

const slideOf = (s: { slideNumber: number; text: string; imageUrl: string | null }) => ({
  slideNumber: s.slideNumber,
  text: s.text,
  imageUrl: s.imageUrl,
});
