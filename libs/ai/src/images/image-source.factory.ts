import { ConfigError, type ImageConfig } from '@app/config';
import { unknownProvider } from '../errors/unknown-provider.js';
import { IconsImageSource } from './adapters/icons/icons.image-source.js';
import { NoneImageSource } from './adapters/none/none.image-source.js';
import type { ImageSource } from './image-source.port.js';

/** The one place the picture source is chosen (IMAGE_PROVIDER). */
export function createImageSource(config: ImageConfig): ImageSource {
  switch (config.provider) {
    case 'icons':
      return new IconsImageSource();
    case 'none':
      return new NoneImageSource();
    // TODO(merge): the remote adapters are built on another branch (adapters/gemini|openai|pexels:
    // GeminiImageSource, OpenAiImageSource, PexelsImageSource); the lead wires them here at merge.
    case 'gemini':
    case 'openai':
    case 'pexels':
      throw new ConfigError(`IMAGE_PROVIDER=${config.provider} is not available yet in this build; use icons or none`);
    default:
      return unknownProvider('IMAGE_PROVIDER', config.provider);
  }
}
