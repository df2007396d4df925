import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { LlmConfig, TtsConfig, WorkerConfig } from '@app/config';
import { MediaModule, MediaRunner } from '@app/media';
import { StorageModule } from '@app/storage';
import { GenerationCache } from './cache/generation-cache.service.js';
import { createSlideWriter } from './deck/slide-writer.factory.js';
import { SlideWriter } from './deck/slide-writer.port.js';
import { createNarrator } from './narration/narrator.factory.js';
import { Narrator } from './narration/narrator.port.js';

/** Providers are chosen once, at start, from LLM_PROVIDER and TTS_PROVIDER; the choice is logged. */
@Module({
  imports: [StorageModule, MediaModule],
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
      inject: [ConfigService, MediaRunner],
      useFactory: (config: ConfigService, runner: MediaRunner) => {
        const workDir = config.getOrThrow<WorkerConfig>('worker').workDir;
        const narrator = createNarrator(config.getOrThrow<TtsConfig>('tts'), { runner, workDir });
        new Logger('Providers').log(`voice: ${narrator.provider}`);
        return narrator;
      },
    },
    GenerationCache,
  ],
  exports: [SlideWriter, Narrator, GenerationCache],
})
export class AiModule {}
