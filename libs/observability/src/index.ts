export * from './logging/log-context.js';
export * from './logging/root-logger.js';
export * from './logging/app-logger.js';
export * from './logging/create-app-logger.js';
