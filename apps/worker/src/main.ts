import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { checkConfig, ConfigError, loadDotEnv } from '@app/config';
import { WorkerModule } from './worker.module.js';

async function main(): Promise<void> {
  loadDotEnv();
  try {
    checkConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`blinked worker: configuration error: ${e.message}`);
    process.exit(1);
  }
  // No HTTP server: the worker only consumes queues. Shutdown hooks let BullMQ
  // workers finish (or hand back) their jobs on SIGTERM.
  const app = await NestFactory.createApplicationContext(WorkerModule);
  app.enableShutdownHooks();
  new Logger('Worker').log(`blinked worker ${process.pid} started`);
}

main().catch((e: unknown) => {
  console.error(`blinked worker: failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
