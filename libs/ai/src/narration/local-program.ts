import { spawn } from 'node:child_process';
import { ProviderError } from '../errors/provider.error.js';

export interface LocalProgram {
  /** Name in errors, e.g. "espeak-ng". */
  provider: string;
  /** Program to run; a name looked up on PATH or an absolute path. */
  binary: string;
  /** A run that takes longer is killed and fails as transient. */
  timeoutMs: number;
  /** What to do when the program is missing, e.g. "install espeak-ng (Debian/Ubuntu: apt-get install espeak-ng)". */
  installHint: string;
}

const STDERR_TAIL_CHARS = 400;

/**
 * Runs a local speech engine without a shell (so nothing in the text can be read as a
 * command or option); resolves with stdout, or rejects once the process is gone. The one
 * place espeak-ng and Festival are spawned: timeouts, cancellation and stderr in errors.
 */
export interface LocalRun {
  stdin?: string;
  signal?: AbortSignal;
  /** Working directory: where relative paths in the arguments or script point. */
  cwd?: string;
}

export function runLocalProgram(program: LocalProgram, args: string[], run: LocalRun = {}): Promise<Buffer> {
  const { stdin, signal, cwd } = run;
  return new Promise<Buffer>((resolve, reject) => {
    signal?.throwIfAborted();
    const child = spawn(program.binary, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd });
    const stdout: Buffer[] = [];
    let stderr = '';
    let spawnError: unknown;
    let timedOut = false;

    const onAbort = (): void => void child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, program.timeoutMs);

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
      if (spawnError) return reject(spawnFailure(program, spawnError, stderr));
      if (timedOut) {
        return reject(
          new ProviderError(program.provider, 'transient', `did not finish within ${Math.round(program.timeoutMs / 1000)} s`, undefined, {
            timedOut: true,
          }),
        );
      }
      if (code !== 0) {
        const how = killedBy ? `was killed by ${killedBy}` : `exited with code ${code}`;
        return reject(new ProviderError(program.provider, 'transient', `${how}: ${stderrTail(stderr)}`));
      }
      resolve(Buffer.concat(stdout));
    });
  });
}

export function spawnFailure(program: LocalProgram, error: unknown, stderr: string): ProviderError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new ProviderError(
      program.provider,
      'permanent',
      `the program "${program.binary}" was not found: ${program.installHint} or choose another narrator`,
      undefined,
      { cause: error },
    );
  }
  if (code === 'EACCES') {
    return new ProviderError(program.provider, 'permanent', `the program "${program.binary}" is not executable`, undefined, { cause: error });
  }
  const status = (error as { status?: number | null }).status;
  const how = typeof status === 'number' ? `exited with code ${status}` : `failed to run (${code ?? 'unknown error'})`;
  return new ProviderError(program.provider, 'transient', `${how}: ${stderrTail(stderr)}`, undefined, { cause: error });
}

/** The end of an engine's error output, on one line. */
export function stderrTail(stderr: string): string {
  const text = stderr.replace(/\s+/g, ' ').trim();
  return text === '' ? '(no error output)' : text.slice(-STDERR_TAIL_CHARS);
}
