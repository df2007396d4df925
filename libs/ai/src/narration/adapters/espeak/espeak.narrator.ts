import { spawn } from 'node:child_process';
import { Logger, type OnModuleInit } from '@nestjs/common';
import { isKnownVoice, parseVoiceTable, voiceForLanguage, type EspeakVoiceCatalog } from './espeak-voices.js';
import { Narrator, type NarrationRequest, type NarrationResult } from '../../narrator.port.js';
import { ProviderError } from '../../../errors/provider.error.js';
import { finaliseWav, WavFormatError } from '../../wav.js';

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
const STDERR_TAIL_CHARS = 400;

/**
 * Narrator on the local espeak-ng program: free, offline, robotic. The text goes in on
 * stdin, so nothing in it (a leading "--help", quotes, newlines) can be read as an option.
 */
export class EspeakNarrator extends Narrator implements OnModuleInit {
  readonly audioFormat = 'wav' as const;
  readonly provider = 'espeak';
  private readonly binary: string;
  private readonly timeoutMs: number;
  private catalog?: EspeakVoiceCatalog;
  private loading?: Promise<EspeakVoiceCatalog>;

  constructor(options: EspeakNarratorOptions = {}) {
    super();
    this.binary = options.binary ?? 'espeak-ng';
    this.timeoutMs = options.timeoutMs ?? 120_000;
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
    const wav = await this.run(args, request.text, request.signal);

    let result: ReturnType<typeof finaliseWav>;
    try {
      result = finaliseWav(wav);
    } catch (error) {
      if (!(error instanceof WavFormatError)) throw error;
      throw new ProviderError(PROVIDER, 'transient', `produced unreadable audio: ${error.message}`, undefined, {
        cause: error,
      });
    }
    if (result.info.dataBytes === 0) {
      throw new ProviderError(PROVIDER, 'permanent', 'produced no audio: the text has nothing to pronounce');
    }
    return {
      audio: result.audio,
      format: 'wav',
      durationSeconds: result.info.durationSeconds,
      characters: request.text.length,
    };
  }

  /** Runs espeak-ng without a shell; resolves with stdout, or rejects once the process is gone. */
  private run(args: string[], stdin?: string, signal?: AbortSignal): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      signal?.throwIfAborted();
      const child = spawn(this.binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      const stdout: Buffer[] = [];
      let stderr = '';
      let spawnError: unknown;
      let timedOut = false;

      const onAbort = (): void => void child.kill('SIGKILL');
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, this.timeoutMs);

      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
      });
      // EPIPE when the process dies before reading its input: 'close' reports the real cause.
      child.stdin.on('error', () => undefined);
      child.stdin.end(stdin ?? '', 'utf8');
      child.on('error', (error) => (spawnError = error));

      // 'close' comes after 'error' too, and only once the process has exited and its pipes
      // drained: a rejection therefore means nothing is left running.
      child.on('close', (code, killedBy) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) return reject(signal.reason);
        if (spawnError) return reject(this.failure(spawnError, stderr));
        if (timedOut) {
          return reject(
            new ProviderError(PROVIDER, 'transient', `did not finish within ${Math.round(this.timeoutMs / 1000)} s`, undefined, { timedOut: true }),
          );
        }
        if (code !== 0) {
          const how = killedBy ? `was killed by ${killedBy}` : `exited with code ${code}`;
          return reject(new ProviderError(PROVIDER, 'transient', `${how}: ${tail(stderr)}`));
        }
        resolve(Buffer.concat(stdout));
      });
    });
  }

  private failure(error: unknown, stderr: string): ProviderError {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return new ProviderError(
        PROVIDER,
        'permanent',
        `the program "${this.binary}" was not found: install espeak-ng (Debian/Ubuntu: apt-get install espeak-ng) or choose another narrator`,
        undefined,
        { cause: error },
      );
    }
    if (code === 'EACCES') {
      return new ProviderError(PROVIDER, 'permanent', `the program "${this.binary}" is not executable`, undefined, {
        cause: error,
      });
    }
    const status = (error as { status?: number | null }).status;
    const how = typeof status === 'number' ? `exited with code ${status}` : `failed to run (${code ?? 'unknown error'})`;
    return new ProviderError(PROVIDER, 'transient', `${how}: ${tail(stderr)}`, undefined, { cause: error });
  }
}

/** 1.0 is espeak-ng's default 175 words per minute; the result stays within what it can do. */
export function wordsPerMinute(speakingRate = 1): number {
  if (!Number.isFinite(speakingRate) || speakingRate <= 0) {
    throw new ProviderError(PROVIDER, 'permanent', `speakingRate must be a positive number, got ${speakingRate}`);
  }
  return Math.min(MAX_WPM, Math.max(MIN_WPM, Math.round(DEFAULT_WPM * speakingRate)));
}

function tail(stderr: string): string {
  const text = stderr.replace(/\s+/g, ' ').trim();
  return text === '' ? '(no error output)' : text.slice(-STDERR_TAIL_CHARS);
}
