import { ConsoleLogger } from '@nestjs/common';
import type { AppConfig } from './app.config.js';
import { logLevels } from './app.config.js';

// Contexts whose errors are start-up failures that the user fixes from the
// message alone (database unreachable, a provider misconfigured): a stack
// would only bury it.
const ONE_LINE_CONTEXTS = new Set(['ExceptionHandler', 'TypeOrmModule', 'InstanceLoader']);

/** Nest's console logger, with LOG_LEVEL applied and start-up failures kept to one line. */
export class AppLogger extends ConsoleLogger {
  constructor(level: AppConfig['logLevel']) {
    super({ logLevels: logLevels(level) });
  }

  override error(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (typeof context === 'string' && ONE_LINE_CONTEXTS.has(context)) {
      const text = message instanceof Error ? message.message : String(message);
      super.error(text.split('\n')[0], context);
      return;
    }
    super.error(message, ...(rest as string[]));
  }
}
