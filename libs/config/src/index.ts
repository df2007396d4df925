export * from './config.error.js';
export * from './env.parsers.js';
export * from './app.config.js';
export * from './database.config.js';
export * from './redis.config.js';
export * from './auth.config.js';
export * from './storage.config.js';
export * from './config.module.js';
