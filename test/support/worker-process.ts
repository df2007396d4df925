import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { CapturedOutput } from './captured-output.js';
import { HttpClient } from './http.js';

export const WORKER_MAIN = resolve('dist/apps/worker/src/main.js');

export interface WorkerProcess {
  child: ChildProcess;
  /** Its metrics and health listener (WORKER_HTTP_PORT: a free port unless the test set one). */
  http: HttpClient;
  /** Everything the worker printed, for failure messages (and printed by stop() if a test failed). */
  output(): string;
  /** SIGTERM and wait (or SIGKILL with kill=true). */
  stop(kill?: boolean): Promise<void>;
}

/**
 * Starts the built worker (`npm run build` first; `npm test` does) as its own
 * process, as production runs it, and resolves once it says it started (and on
 * which port its metrics and health listener is).
 */
export async function startWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [WORKER_MAIN], {
    // Port 0: test files run workers side by side, each on a free port.
    env: { ...process.env, LOG_LEVEL: 'log', WORKER_HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Piped into a buffer, never to the test output: workers log the failures tests provoke.
  const out = new CapturedOutput(`worker ${child.pid} output`);
  const started = new Promise<number>((resolveStarted, reject) => {
    const onData = (chunk: Buffer) => {
      out.write(chunk);
      const text = out.toString();
      const port = /metrics and health on :(\d+)/.exec(text)?.[1];
      if (port && /blinked worker \d+ started/.test(text)) resolveStarted(Number(port));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before starting:\n${out.toString().slice(-3000)}`)));
  });
  const port = await started;
  return {
    child,
    http: new HttpClient(`http://127.0.0.1:${port}`),
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
