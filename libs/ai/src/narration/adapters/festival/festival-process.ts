import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { ProviderError } from '../../../errors/provider.error.js';
import { type LocalProgram, spawnFailure, stderrTail } from '../../local-program.js';
import { FESTIVAL_PRELUDE } from './festival-script.js';

const STDERR_TAIL_CHARS = 400;

/**
 * Festival's Lisp heap, in cells. Its default (10 million) makes every process touch about
 * 315 MB at start, most of its start-up time; a warm process lives on, so that is held per
 * process. 3 million (~130 MB) still voices 40-chunk utterances of long numbers, the worst
 * narration tested; running out fails that one request ("ran out of storage") as transient.
 */
export const FESTIVAL_HEAP_CELLS = 3_000_000;

/**
 * How one warm process is started: `--pipe` evaluates Scheme from stdin as it arrives and
 * exits at its end, so a process whose parent died (even by SIGKILL) ends with it once the
 * pipe closes; no prctl needed.
 */
export function festivalArgs(heapCells = FESTIVAL_HEAP_CELLS): string[] {
  return ['--heap', String(heapCells), '--pipe'];
}

/**
 * One request, framed: its forms run inside one `begin` (an error aborts the rest of it and
 * SIOD goes on with the next form, saying why on stderr), then the process prints a marker
 * no narration can forge (text never reaches stdout, only numbers do) and flushes stdout.
 */
function framed(forms: string, token: string): string {
  return [
    '(set! blinked_ok nil)',
    `(begin\n${forms}\n(set! blinked_ok t))`,
    `(format t "\\nBLINKED-DONE ${token} %s\\n" (if blinked_ok "ok" "error"))`,
    '(fflush nil)',
    '',
  ].join('\n');
}

/** Festival evaluated the request and said it failed (on stderr); the process lives on. */
export class FestivalSchemeError extends ProviderError {}

interface Pending {
  token: string;
  resolve: (stdout: string) => void;
  reject: (error: unknown) => void;
}

/**
 * A long-lived `festival --pipe` process with the voice loaded, serving one request at a
 * time: the start-up (about 1 s of a slide's 1.6 s) is paid once, not per slide. A request
 * that times out or is aborted kills the process (it may be midway through an utterance);
 * so does anything unexpected. The pool starts a new one when it needs one.
 */
export class FestivalProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private stdout = '';
  private stderr = '';
  private pending?: Pending;
  private exitReason?: string;
  private spawnError?: unknown;
  /** Resolves once the process has exited and its pipes are closed. */
  readonly closed: Promise<void>;
  /** Set once a request has come back: the program ran and the voice loaded. */
  proven = false;

  constructor(
    private readonly program: LocalProgram,
    heapCells?: number,
  ) {
    this.child = spawn(program.binary, festivalArgs(heapCells), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.onStdout(chunk.toString('latin1')));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    // EPIPE when the process dies before reading its input: 'close' reports the real cause.
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', (error) => (this.spawnError = error));
    this.closed = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.exitReason ??= signal ? `was killed by ${signal}` : `exited with code ${code}`;
        this.fail(this.spawnError ? spawnFailure(this.program, this.spawnError, this.stderr) : this.died());
        resolve();
      });
    });
    this.child.stdin.write(`${FESTIVAL_PRELUDE}\n`, 'utf8');
    this.hold(false);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Neither exited nor killed: it may take a request. */
  get alive(): boolean {
    return this.exitReason === undefined;
  }

  get busy(): boolean {
    return this.pending !== undefined;
  }

  /**
   * Evaluates `forms` and resolves with what they printed, or rejects once the process is
   * gone (timeout, abort, crash) or when Festival reported an error (the process stays).
   * UTF-8 on stdin: the narration is ASCII by then; a scratch path keeps its bytes.
   */
  run(forms: string, options: { signal?: AbortSignal; timeoutMs: number }): Promise<string> {
    const { signal, timeoutMs } = options;
    if (this.pending) return Promise.reject(new Error('a Festival process serves one request at a time'));
    if (!this.alive) return Promise.reject(this.died());
    return new Promise<string>((resolve, reject) => {
      signal?.throwIfAborted();
      const onAbort = (): void => void this.kill('aborted');
      const timer = setTimeout(() => void this.kill('timed out'), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (): void => {
        this.hold(false);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.pending = undefined;
      };
      this.pending = {
        token: randomUUID(),
        resolve: (stdout) => (settle(), resolve(stdout)),
        reject: (error) => {
          settle();
          if (signal?.aborted) return reject(signal.reason);
          if (this.exitReason === 'timed out') {
            const seconds = Math.round(timeoutMs / 1000);
            return reject(new ProviderError(this.program.provider, 'transient', `did not finish within ${seconds} s`, undefined, { timedOut: true }));
          }
          reject(error);
        },
      };
      this.stdout = '';
      this.stderr = '';
      this.hold(true);
      this.child.stdin.write(framed(forms, this.pending.token), 'utf8');
    });
  }

  /** Ends the process at once (SIGKILL: it may be stuck in synthesis); a request in flight fails. */
  kill(reason = 'was stopped'): Promise<void> {
    this.exitReason ??= reason;
    // Held again until it has exited, so whoever awaits this is not left by an exiting Node.
    this.hold(true);
    this.child.kill('SIGKILL');
    return this.closed;
  }

  /**
   * Only a request in flight keeps Node running: an idle process never holds a script or a
   * test open, and when Node exits its stdin closes, which ends Festival.
   */
  private hold(busy: boolean): void {
    for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as { ref?(): void; unref?(): void }[]) {
      if (busy) handle.ref?.();
      else handle.unref?.();
    }
  }

  private onStdout(text: string): void {
    this.stdout += text;
    const pending = this.pending;
    if (!pending) {
      // Nothing is asked of an idle process; keep only a tail should it ever print.
      this.stdout = this.stdout.slice(-STDERR_TAIL_CHARS);
      return;
    }
    const marker = `BLINKED-DONE ${pending.token} `;
    const at = this.stdout.indexOf(marker);
    const lineEnd = at < 0 ? -1 : this.stdout.indexOf('\n', at);
    if (lineEnd < 0) return;
    const output = this.stdout.slice(0, at);
    const ok = this.stdout.slice(at + marker.length, lineEnd).trim() === 'ok';
    this.stdout = this.stdout.slice(lineEnd + 1);
    if (ok) {
      this.proven = true;
      pending.resolve(output);
    } else {
      pending.reject(new FestivalSchemeError(this.program.provider, 'transient', `reported an error: ${stderrTail(this.stderr)}`));
    }
  }

  private fail(error: unknown): void {
    this.pending?.reject(error);
  }

  private died(): ProviderError {
    return new ProviderError(this.program.provider, 'transient', `${this.exitReason ?? 'exited'}: ${stderrTail(this.stderr)}`);
  }
}
