import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';

// Contexts whose errors are start-up failures that the user fixes from the
// message alone (database unreachable, a provider misconfigured): a stack
// would only bury it.
const ONE_LINE_CONTEXTS = new Set(['ExceptionHandler', 'TypeOrmModule', 'InstanceLoader']);

/**
 * nestjs-pino's PinoLogger bound to one root logger. Its own keeps one root per
 * process (the first application's), and the test suite runs several apis in one
 * process, each logging into its own capture; request and job fields come from
 * the root's mixin instead of nestjs-pino's request store.
 */
class BoundPinoLogger extends PinoLogger {
  constructor(private readonly root: Logger) {
    super({ pinoHttp: { logger: root }, useExisting: true });
  }

  override get logger(): Logger {
    return this.root;
  }
}

/**
 * Nest's logger for both processes: every `new Logger(context)` line goes through
 * pino (nestjs-pino's LoggerService), with its context, at LOG_LEVEL; start-up
 * failures stay one line.
 */
export class AppLogger extends NestPinoLogger {
  constructor(readonly root: Logger) {
    super(new BoundPinoLogger(root), {});
  }

  override error(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (typeof context === 'string' && ONE_LINE_CONTEXTS.has(context)) {
      const text = message instanceof Error ? message.message : String(message);
      super.error(text.split('\n')[0], context);
      return;
    }
    super.error(message, ...rest);
  }
}
