import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';

export interface RunningChild {
  child: ChildProcess;
  /** The first match of `ready` in its output. */
  match: RegExpExecArray;
  /** The last lines it printed (for a failure message). */
  tail(): string;
  stop(): Promise<void>;
}

/** Spawns `node args…` outside the checkout and resolves once its output matches `ready`; rejects if it exits first. */
export async function spawnNodeUntil(args: string[], env: Record<string, string>, ready: RegExp, timeoutMs = 60_000): Promise<RunningChild> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const tail = () => out.slice(-3000);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const match = await new Promise<RegExpExecArray>((resolveMatch, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${ready} within ${timeoutMs} ms:\n${tail()}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        // Only the start matters; a production api logs a line per request, not kept.
        if (out.length < 200_000) out += chunk.toString();
        const m = ready.exec(out);
        if (m) {
          clearTimeout(timer);
          resolveMatch(m);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${args[0]} exited with ${code} before it was ready:\n${tail()}`));
      });
    });
    return { child, match, tail, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
