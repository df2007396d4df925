import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { type HealthCheckResult, HealthCheckService, type HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';

/** One dependency a process needs to do its work. */
export interface ReadinessCheck {
  /** Resolves when the dependency answers; rejects saying why not. */
  run(signal: AbortSignal): Promise<void>;
  /** Keep a result this long: a program on disk need not be started at every probe. */
  cacheMs?: number;
}

export type CheckState = 'ok' | 'down';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckState>;
}

/** A check that has not answered by then counts as down: a probe must answer before its own timeout. */
const CHECK_TIMEOUT_MS = 3000;

/**
 * Runs readiness checks through @nestjs/terminus (in parallel, each bounded in time)
 * and reports them in the shape the api has always answered: `{status, checks}`, and
 * 503 naming what is down. Why a check is down goes to the log once when it goes
 * down and once when it is back, not at every probe.
 */
@Injectable()
export class Readiness {
  private readonly logger = new Logger('Readiness');
  private readonly down = new Set<string>();

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async report(checks: Record<string, ReadinessCheck>): Promise<ReadinessReport> {
    const indicators: HealthIndicatorFunction[] = Object.entries(checks).map(([name, check]) => () => {
      const attempt = this.indicators
        .check(name)
        .attempt(({ signal }) => check.run(signal))
        .withTimeout(CHECK_TIMEOUT_MS);
      return check.cacheMs ? attempt.cacheFor(check.cacheMs) : attempt;
    });
    let result: HealthCheckResult;
    try {
      result = await this.health.check(indicators);
    } catch (e) {
      if (!(e instanceof ServiceUnavailableException)) throw e;
      result = e.getResponse() as HealthCheckResult;
    }
    const states: Record<string, CheckState> = {};
    for (const name of Object.keys(checks)) {
      const detail = result.details[name] as { status?: string; message?: string } | undefined;
      states[name] = detail?.status === 'up' ? 'ok' : 'down';
      this.noteTransition(name, states[name], detail?.message);
    }
    return { ready: Object.values(states).every((s) => s === 'ok'), checks: states };
  }

  /** Throws the 503 the probes see, naming every check: "Not ready: database ok, redis down, storage ok". */
  static assertReady(report: ReadinessReport): void {
    if (report.ready) return;
    throw new ServiceUnavailableException(`Not ready: ${notReadyMessage(report)}`);
  }

  private noteTransition(name: string, state: CheckState, reason: string | undefined): void {
    if (state === 'down' && !this.down.has(name)) {
      this.down.add(name);
      this.logger.warn(`${name} is not ready: ${reason ?? 'no reason given'}`);
    } else if (state === 'ok' && this.down.delete(name)) {
      this.logger.log(`${name} is ready again`);
    }
  }
}

export function notReadyMessage(report: ReadinessReport): string {
  return Object.entries(report.checks)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
