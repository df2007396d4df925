import type { ImageConfig } from '@app/config';
import { unknownProvider } from '../errors/unknown-provider.js';
import { GeminiImageSource } from './adapters/gemini/gemini.image-source.js';
import { IconsImageSource } from './adapters/icons/icons.image-source.js';
import { NoneImageSource } from './adapters/none/none.image-source.js';
import { OpenAiImageSource } from './adapters/openai/openai.image-source.js';
import { PexelsImageSource } from './adapters/pexels/pexels.image-source.js';
import type { ImageSource } from './image-source.port.js';

/** The one place the picture source is chosen (IMAGE_PROVIDER). */
export function createImageSource(config: ImageConfig): ImageSource {
  switch (config.provider) {
    case 'icons':
      return new IconsImageSource();
    case 'none':
      return new NoneImageSource();
    case 'gemini':
      return new GeminiImageSource({ ...config.gemini, timeoutMs: config.timeoutMs });
    case 'openai':
      return new OpenAiImageSource({ ...config.openai, timeoutMs: config.timeoutMs });
    case 'pexels':
      return new PexelsImageSource({ ...config.pexels, timeoutMs: config.timeoutMs });
    default:
      return unknownProvider('IMAGE_PROVIDER', config.provider);
  }
}
