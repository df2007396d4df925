import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit, parseRedisConfig, parseWorkerConfig } from '@app/config';
import { createAppLogger } from '@app/observability';
import { assertEveryQueueHasProcessor } from './lifecycle/queue-coverage.check.js';
import { warnUnlessNoEviction } from './lifecycle/redis-eviction.check.js';

async function main(): Promise<void> {
  loadConfigOrExit('worker');
  // Imported only now: the processors read their options from the environment
  // when their classes are declared, which must happen after .env is loaded.
  const { WorkerModule, WORKER_PROCESSORS } = await import('./worker.module.js');
  const { openWorkerListener, WorkerHttpServer } = await import('./observability/worker-http.server.js');
  assertEveryQueueHasProcessor(WORKER_PROCESSORS);
  // Bound before any job can be taken (see openWorkerListener).
  const listener = await openWorkerListener(parseWorkerConfig(process.env).httpPort);
  // No Nest HTTP application: the worker consumes queues; its one listener serves metrics
  // and health (WorkerHttpServer). Shutdown hooks let BullMQ workers finish (or hand
  // back) their jobs on SIGTERM, and close the listener.
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: await createAppLogger('worker', process.env),
    abortOnError: false,
  });
  app.get(WorkerHttpServer).serve(listener);
  app.enableShutdownHooks();
  new Logger('Worker').log(`blinked worker ${process.pid} started`);
  // Not awaited: a Redis that does not answer yet must not hold the start up (BullMQ waits for it).
  void warnUnlessNoEviction(parseRedisConfig(process.env), new Logger('Redis'));
}

main().catch((e: unknown) => {
  console.error(`blinked worker: failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
