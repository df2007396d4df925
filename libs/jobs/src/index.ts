export * from './queue-name.enum.js';
export * from './redis-connection.js';
export * from './queues.module.js';
export * from './job-payload.types.js';
export * from './job-options.js';
export * from './pipeline-job.js';
export * from './cancellation.bus.js';
export * from './pipeline.service.js';
