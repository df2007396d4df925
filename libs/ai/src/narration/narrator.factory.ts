import type { TtsConfig } from '@app/config';
import type { MediaRunner } from '@app/media';
import { unknownProvider } from '../errors/unknown-provider.js';
import { EspeakNarrator } from './adapters/espeak/espeak.narrator.js';
import { FestivalNarrator } from './adapters/festival/festival.narrator.js';
import { GoogleTtsNarrator } from './adapters/google-tts/google-tts.narrator.js';
import { AudioJoiner } from './audio-join.js';
import type { Narrator } from './narrator.port.js';
import { isEnglish, LanguageRoutingNarrator } from './routing.narrator.js';

export interface NarratorMedia {
  runner: MediaRunner;
  /** WORK_DIR: scratch space for joining and measuring audio. */
  workDir: string;
  /** WORKER_CONCURRENCY_VOICE: how many warm Festival processes may serve at once (bounded by the CPUs). */
  voiceConcurrency?: number;
}

/**
 * The one place the narrator is chosen (TTS_PROVIDER). Festival has English voices only,
 * so with it every other language is spoken by espeak-ng, chosen per video by language.
 */
export function createNarrator(config: TtsConfig, media: NarratorMedia): Narrator {
  switch (config.provider) {
    case 'google':
      return new GoogleTtsNarrator(config, new AudioJoiner(media.runner, media.workDir));
    case 'festival':
      return new LanguageRoutingNarrator(
        new FestivalNarrator({ workDir: media.workDir, timeoutMs: config.timeoutMs, concurrency: media.voiceConcurrency }),
        new EspeakNarrator({ timeoutMs: config.timeoutMs }),
        isEnglish,
      );
    case 'espeak':
      return new EspeakNarrator({ timeoutMs: config.timeoutMs });
    default:
      return unknownProvider('TTS_PROVIDER', config.provider);
  }
}
