import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger, type OnModuleInit } from '@nestjs/common';
import { withScratchDir } from '@app/media';
import { ProviderError } from '../../../errors/provider.error.js';
import { joinWav } from '../../audio-join.js';
import { type LocalProgram, runLocalProgram } from '../../local-program.js';
import { Narrator, type NarrationRequest, type NarrationResult } from '../../narrator.port.js';
import { parseWav, WavFormatError } from '../../wav.js';
import { writtenWords } from '../../written-words.js';
import { FESTIVAL_VOICE_NAME, festivalChunk, festivalScript, groupChunks } from './festival-script.js';
import { festivalTiming, parseFestivalTimes } from './festival-timing.js';

export interface FestivalNarratorOptions {
  /** WORK_DIR: the script and each utterance's WAV are written in a scratch folder here. */
  workDir: string;
  /** Program to run; a name looked up on PATH or an absolute path. */
  binary?: string;
  /** A run that takes longer is killed and fails as transient. */
  timeoutMs?: number;
  /** Voice used when a request names none (Debian package festvox-us-slt-hts). */
  defaultVoice?: string;
}

const PROVIDER = 'Festival';
export const FESTIVAL_DEFAULT_VOICE = 'cmu_us_slt_arctic_hts';
/** hts_engine's -r range that still sounds like speech. */
const MIN_RATE = 0.25;
const MAX_RATE = 4;

/**
 * Narrator on the local Festival program with an HTS voice: free, offline, far more natural
 * than espeak-ng, English only. Festival reports when each word ends, so the narration comes
 * back with word timings measured by the engine that spoke it.
 */
export class FestivalNarrator extends Narrator implements OnModuleInit {
  readonly provider = 'festival';
  readonly audioFormat = 'wav' as const;
  private readonly program: LocalProgram;
  private readonly defaultVoice: string;
  private voices?: Promise<ReadonlySet<string>>;

  constructor(private readonly options: FestivalNarratorOptions) {
    super();
    this.program = {
      provider: PROVIDER,
      binary: options.binary ?? 'festival',
      timeoutMs: options.timeoutMs ?? 120_000,
      installHint: 'install festival and its voice (Debian/Ubuntu: apt-get install festival festvox-us-slt-hts)',
    };
    this.defaultVoice = options.defaultVoice ?? FESTIVAL_DEFAULT_VOICE;
  }

  /** Reads the voice list while the worker starts; a missing Festival is only a warning (each job then says what to install). */
  async onModuleInit(): Promise<void> {
    await this.installedVoices().catch((error: unknown) => {
      new Logger('Providers').warn(`Festival voices could not be read: ${(error as Error).message}`);
    });
  }

  /** The voices Festival can load, read once (a failed read is retried on the next call). */
  installedVoices(signal?: AbortSignal): Promise<ReadonlySet<string>> {
    this.voices ??= runLocalProgram(this.program, ['--pipe'], { stdin: '(format t "VOICES %l\\n" (voice.list))\n', signal }).then(
      (out) => new Set(/VOICES \(([^)]*)\)/.exec(out.toString('latin1'))?.[1]?.trim().split(/\s+/) ?? []),
      (error: unknown) => {
        this.voices = undefined;
        throw error;
      },
    );
    return this.voices;
  }

  async resolveVoice(request: NarrationRequest): Promise<string> {
    const voice = request.voice?.trim() || this.defaultVoice;
    const installed = await this.installedVoices(request.signal);
    if (!FESTIVAL_VOICE_NAME.test(voice) || !installed.has(voice)) {
      const known = [...installed].join(', ') || 'none';
      throw new ProviderError(PROVIDER, 'permanent', `voice "${voice}" is not installed (installed: ${known})`);
    }
    return voice;
  }

  /** Festival runs and loads the default voice: the program and the voice package are installed. */
  override async ready(signal?: AbortSignal): Promise<void> {
    const out = await runLocalProgram(this.program, ['--pipe'], { stdin: `(voice_${this.defaultVoice})\n(format t "READY\\n")\n`, signal });
    if (!out.toString('latin1').includes('READY')) {
      throw new ProviderError(PROVIDER, 'permanent', `the voice ${this.defaultVoice} did not load (Debian/Ubuntu: apt-get install festvox-us-slt-hts)`);
    }
  }

  async narrate(request: NarrationRequest): Promise<NarrationResult> {
    request.signal?.throwIfAborted();
    const rate = request.speakingRate ?? 1;
    if (!(rate >= MIN_RATE && rate <= MAX_RATE)) {
      throw new ProviderError(PROVIDER, 'permanent', `speakingRate must be between ${MIN_RATE} and ${MAX_RATE}, got ${rate}`);
    }
    const text = writtenWords(request.text);
    if (text.words.length === 0) throw new ProviderError(PROVIDER, 'permanent', 'the narration text is empty');
    const voice = await this.resolveVoice(request);
    const groups = groupChunks(text.chunks);

    return withScratchDir(this.options.workDir, 'festival', async (dir) => {
      const utterances = groups.map((chunks, g) => ({ text: chunks.map((c) => festivalChunk(text.chunks[c]!)).join(' '), wavPath: `u${g}.wav` }));
      await writeFile(join(dir, 'say.scm'), festivalScript(voice, rate, utterances), 'latin1');
      const stdout = await runLocalProgram(this.program, ['--batch', 'say.scm'], { signal: request.signal, cwd: dir });

      let parts: Buffer[];
      let times: ReturnType<typeof parseFestivalTimes>;
      try {
        parts = await Promise.all(utterances.map((u) => readFile(join(dir, u.wavPath))));
        times = parseFestivalTimes(stdout.toString('latin1'), utterances.length);
      } catch (error) {
        throw new ProviderError(PROVIDER, 'transient', `did not finish the narration: ${(error as Error).message}`, undefined, { cause: error });
      }
      let durations: number[];
      let audio: Buffer;
      try {
        durations = parts.map((p) => parseWav(p).durationSeconds);
        audio = joinWav(parts);
      } catch (error) {
        if (!(error instanceof WavFormatError)) throw error;
        throw new ProviderError(PROVIDER, 'transient', `produced unreadable audio: ${error.message}`, undefined, { cause: error });
      }
      const offsets = durations.map((_, g) => durations.slice(0, g).reduce((a, b) => a + b, 0));
      const durationSeconds = parseWav(audio).durationSeconds;
      if (!(durationSeconds > 0)) throw new ProviderError(PROVIDER, 'permanent', 'produced no audio: the text has nothing to pronounce');
      return {
        audio,
        format: 'wav',
        durationSeconds,
        characters: request.text.length,
        timing: festivalTiming(text, groups, times, offsets, durations),
      };
    });
  }
}
