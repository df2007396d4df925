import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { CapturedOutput } from './captured-output.js';
import { HttpClient } from './http.js';

export const API_MAIN = resolve('dist/apps/api/src/main.js');

export interface ApiProcess {
  child: ChildProcess;
  http: HttpClient;
  /** Everything the api printed (printed by stop() if a test failed). */
  output(): string;
  /** SIGTERM and wait (or SIGKILL with kill=true). */
  stop(kill?: boolean): Promise<void>;
}

/**
 * Starts the built api (`npm run build` first) as its own process, as production
 * runs it, on 127.0.0.1 at a free port, and resolves once it says where it listens.
 * Unlike startApi (the api inside the test process), it shares nothing with the
 * test but what `env` says: its own working directory, temp dir and environment.
 */
export async function startApiProcess(env: Record<string, string>, options: { cwd?: string } = {}): Promise<ApiProcess> {
  const child = spawn(process.execPath, [API_MAIN], {
    env: { ...process.env, LOG_LEVEL: 'log', HOST: '127.0.0.1', PORT: '0', ...env },
    // Not the checkout: a developer's .env there must not leak into the replica.
    cwd: options.cwd ?? tmpdir(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = new CapturedOutput(`api ${child.pid} output`);
  const baseUrl = await new Promise<string>((resolveUrl, reject) => {
    const onData = (chunk: Buffer) => {
      out.write(chunk);
      const m = /blinked api listening on (http:\/\/[^\s]+?)\/? \(/.exec(out.toString());
      if (m) resolveUrl(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`api exited with ${code} before listening:\n${out.toString().slice(-3000)}`)));
  });
  return {
    child,
    http: new HttpClient(baseUrl),
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
