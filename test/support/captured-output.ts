import type { LoggerService } from '@nestjs/common';
import { format } from 'node:util';

declare global {
  // Counted by test-environment.mjs.
  var __BLINKED_FAILURES__: number | undefined;
}

/** Failed tests and hooks in this test file so far. */
export function failuresSoFar(): number {
  return globalThis.__BLINKED_FAILURES__ ?? 0;
}

/**
 * What a process or app under test printed, kept instead of shown: the suite
 * provokes failures on purpose (Redis down, a provider's 500), and their stack
 * traces would bury real ones. `flushIfFailed()` prints it all when a test of this
 * file failed after capture began, so nothing a real failure needs is lost.
 */
export class CapturedOutput {
  private text = '';
  private flushed = false;
  private readonly failuresBefore = failuresSoFar();

  constructor(private readonly label: string) {}

  write(chunk: string | Buffer): void {
    this.text += chunk.toString();
  }

  toString(): string {
    return this.text;
  }

  /** Once: a worker stopped by its test is stopped again by the harness. */
  flushIfFailed(): void {
    if (this.flushed) return;
    if (failuresSoFar() > this.failuresBefore && this.text) {
      this.flushed = true;
      process.stderr.write(`\n──── ${this.label}, printed because a test failed ────\n${this.text}\n──── end of ${this.label} ────\n`);
    }
  }

  /** A Nest logger that writes here, for an app inside the test process; `levels` as LOG_LEVEL enables them. */
  logger(levels: readonly string[]): LoggerService {
    const line =
      (level: string) =>
      (message: unknown, ...rest: unknown[]) => {
        if (level !== 'fatal' && !levels.includes(level)) return;
        // Nest passes the context last and an undefined stack in between.
        const context = rest.length && typeof rest.at(-1) === 'string' ? ` [${rest.pop()}]` : '';
        const detail = rest.filter((r) => r !== undefined);
        this.write(`${new Date().toISOString()} ${level.toUpperCase()}${context} ${format(message, ...detail)}\n`);
      };
    return { fatal: line('fatal'), error: line('error'), warn: line('warn'), log: line('log'), debug: line('debug'), verbose: line('verbose') };
  }

  /**
   * Runs `fn` with console.error and console.warn written here: libraries print
   * through them (BullMQ, for an error event that fires before the app has
   * attached its listener) while an app starts.
   */
  async whileStarting<T>(fn: () => Promise<T>): Promise<T> {
    const { error, warn } = console;
    console.error = (...args: unknown[]) => this.write(`console.error ${format(...args)}\n`);
    console.warn = (...args: unknown[]) => this.write(`console.warn ${format(...args)}\n`);
    try {
      return await fn();
    } finally {
      Object.assign(console, { error, warn });
    }
  }
}
