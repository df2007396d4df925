import { Logger, type OnModuleInit } from '@nestjs/common';
import { isKnownVoice, parseVoiceTable, voiceForLanguage, type EspeakVoiceCatalog } from './espeak-voices.js';
import { Narrator, type NarrationRequest, type NarrationResult } from '../../narrator.port.js';
import { ProviderError } from '../../../errors/provider.error.js';
import { joinWav } from '../../audio-join.js';
import { type LocalProgram, runLocalProgram } from '../../local-program.js';
import { splitPhrases } from '../../phrases.js';
import { finaliseWav, parseWav, WavFormatError } from '../../wav.js';

export interface EspeakNarratorOptions {
  /** Program to run; a name looked up on PATH or an absolute path. */
  binary?: string;
  /** A run that takes longer is killed and fails as transient. */
  timeoutMs?: number;
}

const PROVIDER = 'espeak-ng';
const DEFAULT_WPM = 175;
/** espeak-ng's own range for -s; beyond it speech is either garbled or silently clamped. */
const MIN_WPM = 80;
const MAX_WPM = 450;

/**
 * Narrator on the local espeak-ng program: free, offline, robotic. The text goes in on
 * stdin, so nothing in it (a leading "--help", quotes, newlines) can be read as an option.
 */
export class EspeakNarrator extends Narrator implements OnModuleInit {
  readonly audioFormat = 'wav' as const;
  readonly provider = 'espeak';
  private readonly program: LocalProgram;
  private catalog?: EspeakVoiceCatalog;
  private loading?: Promise<EspeakVoiceCatalog>;

  constructor(options: EspeakNarratorOptions = {}) {
    super();
    this.program = {
      provider: PROVIDER,
      binary: options.binary ?? 'espeak-ng',
      timeoutMs: options.timeoutMs ?? 120_000,
      installHint: 'install espeak-ng (Debian/Ubuntu: apt-get install espeak-ng)',
    };
  }

  /**
   * Reads the voice list while the worker starts, so no job waits for it. A missing
   * espeak-ng is only a warning here: slides and stitching still work, and each voice
   * job then fails with the message that says what to install (the read is retried).
   */
  async onModuleInit(): Promise<void> {
    await this.loadVoices().catch((error: unknown) => {
      new Logger('Providers').warn(`espeak-ng voices could not be read: ${(error as Error).message}`);
    });
  }

  /** Reads the installed voices once, asynchronously; later calls get the same catalog. */
  loadVoices(): Promise<EspeakVoiceCatalog> {
    if (this.catalog) return Promise.resolve(this.catalog);
    this.loading ??= Promise.all([this.run(['--voices']), this.run(['--voices=variant'])]).then(
      ([voices, variants]) => (this.catalog = parseVoiceTable(voices.toString('utf8'), variants.toString('utf8'))),
      (error: unknown) => {
        this.loading = undefined; // a failed read may succeed later (e.g. once installed)
        throw error;
      },
    );
    return this.loading;
  }

  /** The `-v` argument for a request: the chosen voice if it exists, else the language's voice. */
  async resolveVoice(request: NarrationRequest): Promise<string> {
    const catalog = this.catalog ?? (await this.loadVoices());
    const chosen = request.voice?.trim();
    if (chosen) {
      if (!isKnownVoice(chosen, catalog)) {
        throw new ProviderError(
          PROVIDER,
          'permanent',
          `voice "${chosen}" is not installed (see \`espeak-ng --voices\`; variants as name+variant, e.g. en-us+f3)`,
        );
      }
      const [name, variant] = chosen.split('+');
      return variant === undefined ? name!.toLowerCase() : `${name!.toLowerCase()}+${variant}`;
    }
    const voice = voiceForLanguage(request.language, catalog);
    if (!voice) {
      throw new ProviderError(
        PROVIDER,
        'permanent',
        `no voice for language "${request.language}" (neither the language nor its base language is installed)`,
      );
    }
    return voice;
  }

  /** espeak-ng runs: the program is installed and executable. */
  override async ready(signal?: AbortSignal): Promise<void> {
    await this.run(['--version'], undefined, signal);
  }

  async narrate(request: NarrationRequest): Promise<NarrationResult> {
    request.signal?.throwIfAborted();
    if (request.text.trim() === '') throw new ProviderError(PROVIDER, 'permanent', 'the narration text is empty');
    const voice = await this.resolveVoice(request);
    const args = ['--stdout', '-b', '1', '-v', voice, '-s', String(wordsPerMinute(request.speakingRate))];
    // espeak-ng cannot say when a word is spoken: each phrase is synthesised on its own and
    // its audio measured, so captions follow the speech without guessing from the text.
    const phrases = splitPhrases(request.text);
    const parts: Buffer[] = [];
    for (const phrase of phrases) parts.push(await this.speak(args, phrase, request.signal));
    const durations = parts.map((p) => parseWav(p).durationSeconds);
    if (durations.every((d) => d === 0)) {
      throw new ProviderError(PROVIDER, 'permanent', 'produced no audio: the text has nothing to pronounce');
    }
    const audio = joinWav(parts);
    let at = 0;
    const marks = phrases.map((text, i) => {
      const startSeconds = at;
      at += durations[i]!;
      return { text, startSeconds: round(startSeconds), endSeconds: round(at) };
    });
    return {
      audio,
      format: 'wav',
      durationSeconds: parseWav(audio).durationSeconds,
      characters: request.text.length,
      timing: { granularity: 'phrase', marks },
    };
  }

  private run(args: string[], stdin?: string, signal?: AbortSignal): Promise<Buffer> {
    return runLocalProgram(this.program, args, { stdin, signal });
  }

  /** One phrase through espeak-ng: its audio, checked and with true sizes. */
  private async speak(args: string[], phrase: string, signal?: AbortSignal): Promise<Buffer> {
    const wav = await this.run(args, phrase, signal);
    try {
      return finaliseWav(wav).audio;
    } catch (error) {
      if (!(error instanceof WavFormatError)) throw error;
      throw new ProviderError(PROVIDER, 'transient', `produced unreadable audio: ${error.message}`, undefined, {
        cause: error,
      });
    }
  }
}

/** 1.0 is espeak-ng's default 175 words per minute; the result stays within what it can do. */
export function wordsPerMinute(speakingRate = 1): number {
  if (!Number.isFinite(speakingRate) || speakingRate <= 0) {
    throw new ProviderError(PROVIDER, 'permanent', `speakingRate must be a positive number, got ${speakingRate}`);
  }
  return Math.min(MAX_WPM, Math.max(MIN_WPM, Math.round(DEFAULT_WPM * speakingRate)));
}

const round = (s: number): number => Math.round(s * 1000) / 1000;
