import { tmpdir } from 'node:os';
import type { TtsConfig } from '@app/config';
import { SpawnMediaRunner } from '@app/media';
import { EspeakNarrator } from './adapters/espeak/espeak.narrator.js';
import { createNarrator } from './narrator.factory.js';
import { LanguageRoutingNarrator } from './routing.narrator.js';

const media = { runner: new SpawnMediaRunner(), workDir: tmpdir() };

describe('createNarrator', () => {
  it('builds the configured narrator', () => {
    expect(createNarrator({ provider: 'espeak', timeoutMs: 1000 } as TtsConfig, media)).toBeInstanceOf(EspeakNarrator);
  });

  it('routes festival by language: Festival speaks English, espeak-ng the rest', () => {
    const narrator = createNarrator({ provider: 'festival', timeoutMs: 1000 } as TtsConfig, media);
    expect(narrator).toBeInstanceOf(LanguageRoutingNarrator);
    expect(narrator.provider).toBe('festival');
    expect(narrator.speakerFor({ text: 'x', language: 'en-GB' }).provider).toBe('festival');
    expect(narrator.speakerFor({ text: 'x', language: 'EN' }).provider).toBe('festival');
    expect(narrator.speakerFor({ text: 'x', language: 'de-DE' }).provider).toBe('espeak');
    expect(narrator.speakerFor({ text: 'x', language: 'eo' }).provider).toBe('espeak');
  });

  it('refuses a provider it does not know, in one line, instead of treating it as espeak', () => {
    expect(() => createNarrator({ provider: 'polly' } as unknown as TtsConfig, media)).toThrow(/^TTS_PROVIDER "polly" names no provider this build has$/);
  });
});
