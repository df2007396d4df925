import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Narrator, type NarrationRequest, type NarrationResult } from './narrator.port.js';

/**
 * Speaks each language with the engine that has it: the primary narrator for the languages
 * it accepts (Festival: English), the fallback for every other (espeak-ng). Callers ask
 * speakerFor() which engine that is, so the video records and the cache keys name it.
 */
export class LanguageRoutingNarrator extends Narrator implements OnModuleInit, OnModuleDestroy {
  readonly provider: string;
  readonly audioFormat: NarrationResult['format'];

  constructor(
    private readonly primary: Narrator,
    private readonly fallback: Narrator,
    private readonly primarySpeaks: (language: string) => boolean,
  ) {
    super();
    this.provider = primary.provider;
    this.audioFormat = primary.audioFormat;
  }

  override speakerFor(request: NarrationRequest): Narrator {
    return this.primarySpeaks(request.language) ? this.primary : this.fallback;
  }

  resolveVoice(request: NarrationRequest): Promise<string> {
    return this.speakerFor(request).resolveVoice(request);
  }

  narrate(request: NarrationRequest): Promise<NarrationResult> {
    return this.speakerFor(request).narrate(request);
  }

  /** Both engines must run: a worker takes videos in any language. */
  override async ready(signal?: AbortSignal): Promise<void> {
    await Promise.all([this.primary.ready(signal), this.fallback.ready(signal)]);
  }

  /** Nest calls hooks on the provider it holds, not on the engines inside it. */
  async onModuleInit(): Promise<void> {
    await Promise.all([this.primary, this.fallback].map((n) => (n as Partial<OnModuleInit>).onModuleInit?.()));
  }

  /** Festival's warm processes end with the worker. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.primary, this.fallback].map((n) => (n as Partial<OnModuleDestroy>).onModuleDestroy?.()));
  }
}

/** Festival's only voices are English: en, en-US, en-GB, … */
export function isEnglish(language: string): boolean {
  return /^en(?:[-_]|$)/i.test(language.trim());
}
