import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { LlmConfig, TtsConfig } from '@app/config';
import { GenerationCacheRepository } from '@app/db';
import { StorageModule } from '@app/storage';
import { EspeakNarrator } from './narration/adapters/espeak/espeak.narrator.js';
import { GeminiSlideWriter } from './deck/adapters/gemini/gemini.slide-writer.js';
import { GenerationCache } from './cache/generation-cache.service.js';
import { GoogleTtsNarrator } from './narration/adapters/google-tts/google-tts.narrator.js';
import { Narrator } from './narration/narrator.port.js';
import { OfflineSlideWriter } from './deck/adapters/offline/offline.slide-writer.js';
import { OpenAiSlideWriter } from './deck/adapters/openai/openai.slide-writer.js';
import { SlideWriter } from './deck/slide-writer.port.js';

/** The one place providers are chosen (LLM_PROVIDER, TTS_PROVIDER); the choice is logged at start. */
export function createSlideWriter(config: LlmConfig): SlideWriter {
  switch (config.provider) {
    case 'gemini':
      return new GeminiSlideWriter(config);
    case 'openai':
      return new OpenAiSlideWriter(config);
    case 'offline':
      return new OfflineSlideWriter();
  }
}

export function createNarrator(config: TtsConfig): Narrator {
  return config.provider === 'google' ? new GoogleTtsNarrator(config) : new EspeakNarrator({ timeoutMs: config.timeoutMs });
}

@Module({
  imports: [StorageModule],
  providers: [
    {
      provide: SlideWriter,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const writer = createSlideWriter(config.getOrThrow<LlmConfig>('llm'));
        new Logger('Providers').log(`slides: ${writer.provider} (model ${writer.model})`);
        return writer;
      },
    },
    {
      provide: Narrator,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const narrator = createNarrator(config.getOrThrow<TtsConfig>('tts'));
        new Logger('Providers').log(`voice: ${narrator.provider}`);
        return narrator;
      },
    },
    GenerationCacheRepository,
    GenerationCache,
  ],
  exports: [SlideWriter, Narrator, GenerationCache],
})
export class AiModule {}
