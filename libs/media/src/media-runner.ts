import { spawn } from 'node:child_process';
import { Injectable } from '@nestjs/common';

export type MediaCommand = 'ffmpeg' | 'ffprobe';

export interface RunOptions {
  signal?: AbortSignal;
  /** Called with ffmpeg's out_time in seconds; needs `-progress pipe:1` in the arguments. */
  onProgress?: (outTimeSeconds: number) => void;
}

/** Port around the media child processes, so callers depend on a promise, not on spawn. */
export abstract class MediaRunner {
  abstract run(command: MediaCommand, args: string[], options?: RunOptions): Promise<{ stdout: string; stderr: string }>;
}

/** A failed or cancelled media process. The message ends with the last lines of its stderr. */
export class MediaError extends Error {
  /** True when the run was stopped by its AbortSignal, not by a failure. */
  readonly cancelled: boolean;
  constructor(
    message: string,
    readonly details: { command?: string; exitCode?: number | null; signal?: string | null; stderrTail?: string; cancelled?: boolean } = {},
  ) {
    super(message);
    this.name = 'MediaError';
    this.cancelled = details.cancelled === true;
  }
}

/** Keeps the last `max` characters of a stream: ffmpeg's useful error is at the end. */
export class TailBuffer {
  private text = '';
  constructor(private readonly max: number) {}
  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.max * 2) this.text = this.text.slice(-this.max);
  }
  toString(): string {
    return this.text.length > this.max ? this.text.slice(-this.max) : this.text;
  }
}

/**
 * Parses `-progress pipe:1` output: key=value lines in blocks ending with `progress=`.
 * Returns out_time in seconds for each completed block. Feed it chunks; it keeps partial lines.
 */
export class ProgressParser {
  private partial = '';
  private outTime: number | undefined;
  push(chunk: string): number[] {
    const found: number[] = [];
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.trim();
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1);
      // out_time_us is the precise one (out_time_ms is, historically, microseconds too).
      if (key === 'out_time_us') {
        const us = Number(value);
        if (Number.isFinite(us) && us >= 0) this.outTime = us / 1e6;
      } else if (key === 'out_time' && this.outTime === undefined) {
        const t = parseClock(value);
        if (t !== undefined) this.outTime = t;
      } else if (key === 'progress') {
        if (this.outTime !== undefined) found.push(this.outTime);
        this.outTime = undefined;
      }
    }
    return found;
  }
}

/** "HH:MM:SS.micro" → seconds. */
export function parseClock(value: string): number | undefined {
  const m = /^(-?\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value.trim());
  if (!m) return undefined;
  const s = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  return s >= 0 ? s : undefined;
}

export interface SpawnMediaRunnerOptions {
  /** Time between SIGTERM and SIGKILL when cancelled. */
  killGraceMs?: number;
  stderrTailChars?: number;
  /** Paths of the binaries; defaults find them on PATH. */
  binaries?: Partial<Record<MediaCommand, string>>;
}

@Injectable()
export class SpawnMediaRunner extends MediaRunner {
  private readonly killGraceMs: number;
  private readonly tailChars: number;
  private readonly binaries: Record<MediaCommand, string>;

  constructor(options: SpawnMediaRunnerOptions = {}) {
    super();
    this.killGraceMs = options.killGraceMs ?? 1500;
    this.tailChars = options.stderrTailChars ?? 4000;
    this.binaries = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', ...options.binaries };
  }

  run(command: MediaCommand, args: string[], options: RunOptions = {}): Promise<{ stdout: string; stderr: string }> {
    const { signal, onProgress } = options;
    const name = `${command} ${args.join(' ')}`.slice(0, 300);
    if (signal?.aborted) return Promise.reject(new MediaError(`${command} cancelled before start`, { command: name, cancelled: true }));

    return new Promise((resolve, reject) => {
      const child = spawn(this.binaries[command], args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
      const stderr = new TailBuffer(this.tailChars);
      // With -progress pipe:1 stdout is a progress stream; otherwise (ffprobe) it is the result.
      const stdoutChunks: string[] = [];
      const progress = onProgress ? new ProgressParser() : undefined;
      let cancelled = false;
      let killTimer: NodeJS.Timeout | undefined;
      let spawnError: Error | undefined;

      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        if (progress) {
          for (const t of progress.push(chunk)) onProgress!(t);
        } else {
          stdoutChunks.push(chunk);
        }
      });
      child.stderr.on('data', (chunk: string) => stderr.push(chunk));

      const onAbort = () => {
        if (cancelled || child.exitCode !== null || child.signalCode !== null) return;
        cancelled = true;
        child.kill('SIGTERM');
        killTimer = setTimeout(() => child.kill('SIGKILL'), this.killGraceMs);
        killTimer.unref();
      };
      signal?.addEventListener('abort', onAbort, { once: true });

      child.on('error', (err) => {
        spawnError = err;
        // A binary that never started emits no 'close' on every Node version: settle here.
        if (child.pid === undefined) {
          signal?.removeEventListener('abort', onAbort);
          reject(new MediaError(`${command} could not start: ${err.message}`, { command: name }));
        }
      });
      // 'close' fires after the process exited and its pipes drained: no zombie, full stderr.
      child.on('close', (code, sig) => {
        signal?.removeEventListener('abort', onAbort);
        if (killTimer) clearTimeout(killTimer);
        const tail = stderr.toString().trim();
        if (cancelled) {
          reject(new MediaError(`${command} cancelled`, { command: name, exitCode: code, signal: sig, stderrTail: tail, cancelled: true }));
        } else if (spawnError) {
          reject(new MediaError(`${command} could not start: ${spawnError.message}`, { command: name, stderrTail: tail }));
        } else if (code !== 0) {
          const lastLines = tail.split('\n').slice(-8).join('\n');
          reject(
            new MediaError(`${command} failed (exit ${code ?? sig}): ${lastLines}`, { command: name, exitCode: code, signal: sig, stderrTail: tail }),
          );
        } else {
          resolve({ stdout: stdoutChunks.join(''), stderr: stderr.toString() });
        }
      });
    });
  }
}
