export * from './storage.port.js';
export * from './storage.errors.js';
export * from './storage.validation.js';
export * from './local-disk.storage.js';
export * from './s3/s3.storage.js';
export * from './storage-driver.factory.js';
export * from './storage.module.js';
