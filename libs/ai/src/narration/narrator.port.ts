import type { SpeechTiming } from '@app/common';

export interface NarrationRequest {
  text: string;
  /** BCP-47 tag, e.g. en-US. */
  language: string;
  /** Provider-specific voice name; the adapter picks a default for the language when absent. */
  voice?: string;
  /** 1.0 is normal speed. */
  speakingRate?: number;
  signal?: AbortSignal;
}

export interface NarrationResult {
  audio: Buffer;
  /** Container of `audio`. */
  format: 'wav' | 'mp3';
  /** Measured from the audio itself, never estimated from the text. */
  durationSeconds: number;
  /** Characters billed by the provider (0 for local engines is fine but report text length). */
  characters: number;
  /** When each word (or phrase) is spoken, measured by the engine or from the audio: never estimated. */
  timing: SpeechTiming;
}

/** Port: voices one slide's narration. Adapters: festival, espeak, google. */
export abstract class Narrator {
  /** The engine's name: what a video records as its voice provider, part of the audio cache key. */
  abstract readonly provider: string;
  /** Container every result of this narrator comes in; part of the audio cache key. */
  abstract readonly audioFormat: NarrationResult['format'];
  /**
   * The voice actually used for a request (after defaults), part of the audio cache key.
   * A promise so an adapter may look voices up without blocking the event loop.
   */
  abstract resolveVoice(request: NarrationRequest): Promise<string>;
  abstract narrate(request: NarrationRequest): Promise<NarrationResult>;
  /**
   * The worker's readiness check: resolves when the engine can run, rejects saying why.
   * Local engines run their program; a remote service is not called (a paid service's
   * blip must not take every worker out of rotation), so by default it resolves.
   */
  ready(_signal?: AbortSignal): Promise<void> {
    return Promise.resolve();
  }

  /**
   * The narrator that will actually speak this request: itself, unless it routes by
   * language (festival for English, espeak-ng for the rest). Callers take the provider,
   * format and voice of the cache key, and the provider a video records, from it.
   */
  speakerFor(_request: NarrationRequest): Narrator {
    return this;
  }
}
