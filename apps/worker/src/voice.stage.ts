import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { audioCacheKey, GenerationCache, Narrator } from '@app/ai';
import type { TtsConfig } from '@app/config';
import { Slide, VideoStatus, Voiceover } from '@app/db';
import type { VoiceResult } from '@app/jobs';
import { Storage } from '@app/storage';
import { VideoState } from './video-state.service.js';

/** Stage 2, one job per slide: narration → audio (cached by content) → voiceover row. */
@Injectable()
export class VoiceStage {
  private readonly speakingRate: number;

  constructor(
    private readonly db: DataSource,
    private readonly state: VideoState,
    private readonly narrator: Narrator,
    private readonly cache: GenerationCache,
    private readonly storage: Storage,
    config: ConfigService,
  ) {
    this.speakingRate = config.getOrThrow<TtsConfig>('tts').speakingRate;
  }

  async run(videoId: string, slideNumber: number, signal?: AbortSignal): Promise<VoiceResult> {
    const { video, prompt } = await this.state.load(videoId);
    const slide = await this.db.getRepository(Slide).findOneBy({ promptId: prompt.id, slideNumber });
    if (!slide) throw new Error(`slide ${slideNumber} is missing from the deck`);

    const existing = await this.db.getRepository(Voiceover).findOneBy({ slideId: slide.id });
    if (existing && existing.text === slide.text && (await this.storage.stat(existing.audioUrl))) {
      return { slideNumber, audioKey: existing.audioUrl, durationSeconds: existing.duration };
    }

    const request = { text: slide.text, language: video.language, voice: video.voice ?? undefined, speakingRate: this.speakingRate, signal };
    const voice = await this.narrator.resolveVoice(request);
    const key = audioCacheKey({ provider: this.narrator.provider, voice, language: video.language, speakingRate: this.speakingRate, format: this.narrator.audioFormat, text: slide.text });
    const audio = await this.cache.audio(key, this.narrator.provider, voice, () => this.narrator.narrate(request));

    await this.state.ensureLive(videoId);
    await this.db.query(
      `INSERT INTO voiceovers (slide_id, audio_url, duration, text, voice) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (slide_id) DO UPDATE SET audio_url = EXCLUDED.audio_url, duration = EXCLUDED.duration,
         text = EXCLUDED.text, voice = EXCLUDED.voice`,
      [slide.id, audio.storageKey, audio.durationSeconds, slide.text, voice.slice(0, 100)],
    );
    await this.state.setProviders(videoId, { ttsProvider: this.narrator.provider });
    await this.state.addUsage(videoId, { ttsCharacters: audio.characters, ...(audio.hit ? { cacheHits: 1 } : { cacheMisses: 1 }) });

    const [{ done }] = await this.db.query<{ done: number }[]>(
      `SELECT count(*)::int AS done FROM voiceovers v JOIN slides s ON s.id = v.slide_id WHERE s.prompt_id = $1`,
      [prompt.id],
    );
    await this.state.report(videoId, VideoStatus.GeneratingVoice, `Voiced ${done} of ${video.slideCount} slides`, 25 + (50 * done) / video.slideCount);
    return { slideNumber, audioKey: audio.storageKey, durationSeconds: audio.durationSeconds };
  }
}
