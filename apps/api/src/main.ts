import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type AppConfig, loadConfigOrExit } from '@app/config';
import { createApiApp } from './api.factory.js';

async function main(): Promise<void> {
  loadConfigOrExit('api');
  const app = await createApiApp();
  const config = app.get(ConfigService).getOrThrow<AppConfig>('app');
  await app.listen(config.port, config.host);
  new Logger('Api').log(`blinked api listening on ${await app.getUrl()} (docs at /docs)`);
}

main().catch((e: unknown) => {
  // Start-up failures (database unreachable, port taken) as one line, not a stack.
  console.error(`blinked api: failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
