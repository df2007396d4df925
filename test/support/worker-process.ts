import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { CapturedOutput } from './captured-output.js';

export const WORKER_MAIN = resolve('dist/apps/worker/src/main.js');

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything the worker printed, for failure messages (and printed by stop() if a test failed). */
  output(): string;
  /** SIGTERM and wait (or SIGKILL with kill=true). */
  stop(kill?: boolean): Promise<void>;
}

/**
 * Starts the built worker (`npm run build` first; `npm test` does) as its own
 * process, as production runs it, and resolves once it says it started.
 */
export async function startWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [WORKER_MAIN], {
    env: { ...process.env, LOG_LEVEL: 'log', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Piped into a buffer, never to the test output: workers log the failures tests provoke.
  const out = new CapturedOutput(`worker ${child.pid} output`);
  const started = new Promise<void>((resolveStarted, reject) => {
    const onData = (chunk: Buffer) => {
      out.write(chunk);
      if (out.toString().includes('blinked worker') && out.toString().includes('started')) resolveStarted();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before starting:\n${out.toString().slice(-3000)}`)));
  });
  await started;
  return {
    child,
    output: () => out.toString(),
    stop: async (kill = false) => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill(kill ? 'SIGKILL' : 'SIGTERM');
        await exited;
      }
      out.flushIfFailed();
    },
  };
}
