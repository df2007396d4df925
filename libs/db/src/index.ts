export * from './entities/index.js';
export * from './data-source.options.js';
export * from './db.module.js';
export * from './database-errors.js';
export * from './repositories/index.js';
export * from './run-migrations.js';
export * from './database-admin.js';
