import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { CapturedOutput } from './captured-output.js';
import { HttpClient } from './http.js';

export const API_MAIN = resolve('dist/apps/api/src/main.js');

export interface ApiProcess {
  child: ChildProcess;
  http: HttpClient;
  /** Everything it printed. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the built api (`npm run build` first) as its own process on a free port of
 * 127.0.0.1, as a replica runs in production, and resolves once it listens.
 */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const child = spawn(process.execPath, [API_MAIN], {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0', ...env },
    cwd: '/tmp', // no .env file here
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = new CapturedOutput(`api ${child.pid} output`);
  const url = await new Promise<string>((resolveUrl, reject) => {
    const onData = (chunk: Buffer) => {
      out.write(chunk);
      const m = /listening on (http:\/\/[^\s]+)/.exec(out.toString());
      if (m) resolveUrl(m[1]!.replace('[::1]', '127.0.0.1'));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`api exited with ${code} before listening:\n${out.toString().slice(-3000)}`)));
  });
  return {
    child,
    http: new HttpClient(url),
    output: () => out.toString(),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      out.flushIfFailed();
    },
  };
}
