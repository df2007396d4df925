export * from './storage.port.js';
export * from './local-disk.storage.js';
export * from './storage.module.js';
