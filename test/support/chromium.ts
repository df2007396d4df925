import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A headless Chromium (Debian's package) driven over the DevTools protocol with
 * Node's own WebSocket: enough to open a page and evaluate script in it. Flags
 * keep it off the network except for the pages we give it.
 */
export class Chromium {
  private nextId = 0;
  private readonly pending = new Map<number, (message: any) => void>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
    private readonly socket: WebSocket,
  ) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data));
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    });
  }

  /** `extraArgs`: more command-line switches, e.g. `--host-resolver-rules=…` to reach a local server by a real-looking name. */
  static async launch(extraArgs: string[] = []): Promise<Chromium> {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium package (scripts/setup.sh does)`);
    const profile = await mkdtemp(join(tmpdir(), 'blinked-chromium-'));
    const child = spawn(
      CHROMIUM,
      [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--autoplay-policy=no-user-gesture-required',
        '--allow-file-access-from-files',
        `--user-data-dir=${profile}`,
        '--remote-debugging-port=0',
        ...extraArgs,
        'about:blank',
      ],
      // Its own process group, so close() can end the renderer and utility processes too.
      { stdio: 'ignore', detached: true },
    );
    // Chromium writes the port it picked to DevToolsActivePort once it listens.
    const portFile = join(profile, 'DevToolsActivePort');
    const [port] = (
      await waitFor(
        () => readFile(portFile, 'utf8').catch(() => ''),
        (t) => t.includes('\n'),
        30_000,
        'Chromium to start',
      )
    ).split('\n');
    const targets = await waitFor(
      () => fetch(`http://127.0.0.1:${port}/json`).then((r) => r.json() as Promise<{ type: string; webSocketDebuggerUrl: string }[]>),
      (list) => list.some((t) => t.type === 'page'),
      10_000,
      'a Chromium page',
    );
    const socket = new WebSocket(targets.find((t) => t.type === 'page')!.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true });
      socket.addEventListener('error', () => reject(new Error('could not connect to Chromium')), { once: true });
    });
    return new Chromium(child, profile, socket);
  }

  send<T = any>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result as T)));
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  async open(url: string): Promise<void> {
    await this.send('Page.enable');
    const loaded = new Promise<void>((resolve) => {
      const onMessage = (event: MessageEvent) => {
        if (JSON.parse(String(event.data)).method === 'Page.loadEventFired') {
          this.socket.removeEventListener('message', onMessage);
          resolve();
        }
      };
      this.socket.addEventListener('message', onMessage);
    });
    await this.send('Page.navigate', { url });
    await loaded;
  }

  /** Evaluates an expression in the page, awaiting it if it is a promise; page errors become rejections. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.send<{ result: { value: T }; exceptionDetails?: { exception?: { description?: string }; text: string } }>('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    });
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
    return r.result.value;
  }

  async close(): Promise<void> {
    this.socket.close();
    if (this.child.exitCode === null) {
      const exited = once(this.child, 'exit');
      try {
        process.kill(-this.child.pid!, 'SIGKILL'); // the whole group: the browser and its helpers
      } catch {
        this.child.kill('SIGKILL');
      }
      await exited;
    }
    // A helper process can still be flushing into the profile as the group dies (seen once as
    // ENOTEMPTY): rm's own retries cover exactly that race.
    await rm(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  }
}
