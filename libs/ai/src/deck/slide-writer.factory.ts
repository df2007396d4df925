import type { LlmConfig } from '@app/config';
import { unknownProvider } from '../errors/unknown-provider.js';
import { GeminiSlideWriter } from './adapters/gemini/gemini.slide-writer.js';
import { OfflineSlideWriter } from './adapters/offline/offline.slide-writer.js';
import { OpenAiSlideWriter } from './adapters/openai/openai.slide-writer.js';
import type { SlideWriter } from './slide-writer.port.js';

/** The one place the slide writer is chosen (LLM_PROVIDER). */
export function createSlideWriter(config: LlmConfig): SlideWriter {
  switch (config.provider) {
    case 'gemini':
      return new GeminiSlideWriter(config);
    case 'openai':
      return new OpenAiSlideWriter(config);
    case 'offline':
      return new OfflineSlideWriter();
    default:
      return unknownProvider('LLM_PROVIDER', config.provider);
  }
}
