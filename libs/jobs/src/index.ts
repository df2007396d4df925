export * from './queue-name.enum.js';
export * from './redis-connection.js';
export * from './queues.module.js';
