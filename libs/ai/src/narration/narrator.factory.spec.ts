import { tmpdir } from 'node:os';
import type { TtsConfig } from '@app/config';
import { SpawnMediaRunner } from '@app/media';
import { EspeakNarrator } from './adapters/espeak/espeak.narrator.js';
import { createNarrator } from './narrator.factory.js';

const media = { runner: new SpawnMediaRunner(), workDir: tmpdir() };

describe('createNarrator', () => {
  it('builds the configured narrator', () => {
    expect(createNarrator({ provider: 'espeak', timeoutMs: 1000 } as TtsConfig, media)).toBeInstanceOf(EspeakNarrator);
  });

  it('refuses a provider it does not know, in one line, instead of treating it as espeak', () => {
    expect(() => createNarrator({ provider: 'festival' } as unknown as TtsConfig, media)).toThrow(
      /^TTS_PROVIDER "festival" names no provider this build has$/,
    );
  });
});
