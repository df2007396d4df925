import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ImageConfig, LlmConfig, TtsConfig, WorkerConfig } from '@app/config';
import { MediaModule, MediaRunner } from '@app/media';
import { StorageModule } from '@app/storage';
import { GenerationCache } from './cache/generation-cache.service.js';
import { createSlideWriter } from './deck/slide-writer.factory.js';
import { SlideWriter } from './deck/slide-writer.port.js';
import { createNarrator } from './narration/narrator.factory.js';
import { Narrator } from './narration/narrator.port.js';
import { createImageSource } from './images/image-source.factory.js';
import { ImageSource } from './images/image-source.port.js';

/** Providers are chosen once, at start, from LLM_PROVIDER, TTS_PROVIDER and IMAGE_PROVIDER; the choice is logged. */
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
        const worker = config.getOrThrow<WorkerConfig>('worker');
        const narrator = createNarrator(config.getOrThrow<TtsConfig>('tts'), {
          runner,
          workDir: worker.workDir,
          voiceConcurrency: worker.concurrency.voice,
        });
        new Logger('Providers').log(`voice: ${narrator.provider}`);
        return narrator;
      },
    },
    {
      provide: ImageSource,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const source = createImageSource(config.getOrThrow<ImageConfig>('image'));
        new Logger('Providers').log(`pictures: ${source.provider}${source.model ? ` (model ${source.model})` : ''}`);
        return source;
      },
    },
    GenerationCache,
  ],
  exports: [SlideWriter, Narrator, ImageSource, GenerationCache],
})
export class AiModule {}
