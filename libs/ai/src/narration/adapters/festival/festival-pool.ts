import type { LocalProgram } from '../../local-program.js';
import { FestivalProcess } from './festival-process.js';

export interface FestivalPoolOptions {
  /** The most processes alive at once (each holds its heap, see FESTIVAL_HEAP_CELLS). */
  size: number;
  heapCells?: number;
}

interface Waiter {
  give: (process: FestivalProcess) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort: () => void;
}

/**
 * Up to `size` warm Festival processes, started when a request finds none free, each
 * serving one request at a time; further requests wait their turn (first come, first
 * served). A process that died or was killed (abort, timeout, crash) is dropped and a new
 * one started for whoever waits next. close() ends them all.
 */
export class FestivalPool {
  private readonly processes = new Set<FestivalProcess>();
  private readonly idle: FestivalProcess[] = [];
  private readonly waiters: Waiter[] = [];
  private closing = false;

  constructor(
    private readonly program: LocalProgram,
    private readonly options: FestivalPoolOptions,
  ) {
    if (!(options.size >= 1)) throw new Error(`a Festival pool needs at least one process, got ${options.size}`);
  }

  /** Runs `forms` on a free process (see FestivalProcess.run); the per-request timeout starts once it has one. */
  async run(forms: string, signal?: AbortSignal): Promise<string> {
    const process = await this.acquire(signal);
    try {
      return await process.run(forms, { signal, timeoutMs: this.program.timeoutMs });
    } finally {
      this.release(process);
    }
  }

  /** Some live process has answered a request: Festival runs and its voice loaded. */
  get proven(): boolean {
    return [...this.processes].some((p) => p.alive && p.proven);
  }

  /** Process ids alive now (for tests and diagnostics). */
  pids(): number[] {
    return [...this.processes].flatMap((p) => (p.alive && p.pid !== undefined ? [p.pid] : []));
  }

  /** Kills every process and fails every waiting request; resolves once all have exited. */
  async close(): Promise<void> {
    this.closing = true;
    for (const waiter of this.waiters.splice(0)) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(new Error('the Festival pool is shut down'));
    }
    this.idle.length = 0;
    await Promise.all([...this.processes].map((p) => p.kill('was shut down')));
  }

  private acquire(signal?: AbortSignal): Promise<FestivalProcess> {
    return new Promise((resolve, reject) => {
      signal?.throwIfAborted();
      if (this.closing) throw new Error('the Festival pool is shut down');
      const waiter: Waiter = {
        give: (process) => {
          signal?.removeEventListener('abort', waiter.onAbort);
          resolve(process);
        },
        reject,
        signal,
        onAbort: () => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) this.waiters.splice(at, 1);
          reject(signal!.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      this.dispatch();
    });
  }

  private release(process: FestivalProcess): void {
    if (process.alive && !this.closing) this.idle.push(process);
    this.dispatch();
  }

  /** Hands free processes to waiters in order, starting new ones while under the size. */
  private dispatch(): void {
    while (this.waiters.length > 0) {
      let process = this.idle.shift();
      if (process && !process.alive) continue;
      if (!process) {
        if (this.processes.size >= this.options.size) return;
        process = this.start();
      }
      this.waiters.shift()!.give(process);
    }
  }

  private start(): FestivalProcess {
    const process = new FestivalProcess(this.program, this.options.heapCells);
    this.processes.add(process);
    void process.closed.then(() => {
      this.processes.delete(process);
      const at = this.idle.indexOf(process);
      if (at >= 0) this.idle.splice(at, 1);
      // A slot is free: someone waiting gets a new process.
      if (!this.closing) this.dispatch();
    });
    return process;
  }
}
