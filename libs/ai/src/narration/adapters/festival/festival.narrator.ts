import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { withScratchDir } from '@app/media';
import { ProviderError } from '../../../errors/provider.error.js';
import { joinWav } from '../../audio-join.js';
import type { LocalProgram } from '../../local-program.js';
import { Narrator, type NarrationRequest, type NarrationResult } from '../../narrator.port.js';
import { parseWav, WavFormatError } from '../../wav.js';
import { writtenWords } from '../../written-words.js';
import { FestivalPool } from './festival-pool.js';
import { FestivalSchemeError } from './festival-process.js';
import { FESTIVAL_VOICE_NAME, festivalChunk, festivalRequest, groupChunks } from './festival-script.js';
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
  /**
   * Voice jobs this worker runs at once. Warm processes: as many, but no more than the CPUs
   * (synthesis is CPU-bound: a process beyond them adds its memory, not speed); a job finding
   * none free waits its turn, the timeout counting from when it has one.
   */
  concurrency?: number;
  /** Festival's Lisp heap per process, in cells (see FESTIVAL_HEAP_CELLS). */
  heapCells?: number;
}

const PROVIDER = 'Festival';
export const FESTIVAL_DEFAULT_VOICE = 'cmu_us_slt_arctic_hts';
/** hts_engine's -r range that still sounds like speech. */
const MIN_RATE = 0.25;
const MAX_RATE = 4;

/**
 * Narrator on the local Festival program with an HTS voice: free, offline, far more natural
 * than espeak-ng, English only. Festival reports when each word ends, so the narration comes
 * back with word timings measured by the engine that spoke it. Requests go to warm Festival
 * processes (festival-pool.ts): starting Festival was most of a slide's time.
 */
export class FestivalNarrator extends Narrator implements OnModuleInit, OnModuleDestroy {
  readonly provider = 'festival';
  readonly audioFormat = 'wav' as const;
  private readonly program: LocalProgram;
  private readonly defaultVoice: string;
  private readonly pool: FestivalPool;
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
    const size = Math.max(1, Math.min(options.concurrency ?? Number.POSITIVE_INFINITY, availableParallelism()));
    this.pool = new FestivalPool(this.program, { size, heapCells: options.heapCells });
  }

  /**
   * Reads the voice list while the worker starts, which also warms the first process; a
   * missing Festival is only a warning (each job then says what to install).
   */
  async onModuleInit(): Promise<void> {
    await this.installedVoices().catch((error: unknown) => {
      new Logger('Providers').warn(`Festival voices could not be read: ${(error as Error).message}`);
    });
  }

  /** Ends every Festival process when the worker shuts down. */
  async onModuleDestroy(): Promise<void> {
    await this.pool.close();
  }

  /** Festival processes alive now (tests look for orphans with it). */
  processIds(): number[] {
    return this.pool.pids();
  }

  /**
   * The voices Festival can load, read once (a failed read is retried on the next call).
   * Shared by every caller, so no one caller's signal may cancel it.
   */
  installedVoices(): Promise<ReadonlySet<string>> {
    this.voices ??= this.pool.run('(format t "VOICES %l\\n" (voice.list))').then(
      (out) => new Set(/VOICES \(([^)]*)\)/.exec(out)?.[1]?.trim().split(/\s+/) ?? []),
      (error: unknown) => {
        this.voices = undefined;
        throw error;
      },
    );
    return this.voices;
  }

  async resolveVoice(request: NarrationRequest): Promise<string> {
    const voice = request.voice?.trim() || this.defaultVoice;
    request.signal?.throwIfAborted();
    const installed = await this.installedVoices();
    if (!FESTIVAL_VOICE_NAME.test(voice) || !installed.has(voice)) {
      const known = [...installed].join(', ') || 'none';
      throw new ProviderError(PROVIDER, 'permanent', `voice "${voice}" is not installed (installed: ${known})`);
    }
    return voice;
  }

  /**
   * Festival runs and loads the default voice: the program and the voice package are
   * installed. A live process that has answered proves it at no cost. Otherwise a check runs
   * on the pool and is not cancelled with the probe: it warms a process the next probe finds.
   */
  override async ready(signal?: AbortSignal): Promise<void> {
    if (this.pool.proven) return;
    const check = this.pool.run(`(voice_${this.defaultVoice})\n(format t "READY\\n")`).catch((error: unknown) => {
      if (error instanceof FestivalSchemeError) return '';
      throw error;
    });
    const out = await (signal ? Promise.race([check, aborted(signal)]) : check);
    if (!out.includes('READY')) {
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
      const utterances = groups.map((chunks, g) => ({
        text: chunks.map((c) => festivalChunk(text.chunks[c]!)).join(' '),
        wavPath: join(dir, `u${g}.wav`),
      }));
      const stdout = await this.pool.run(festivalRequest(voice, rate, utterances), request.signal);

      let parts: Buffer[];
      let times: ReturnType<typeof parseFestivalTimes>;
      try {
        parts = await Promise.all(utterances.map((u) => readFile(u.wavPath)));
        times = parseFestivalTimes(stdout, utterances.length);
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

/** Rejects with the signal's reason once it aborts. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
