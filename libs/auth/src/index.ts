export * from './password.service.js';
export * from './refresh-token.codec.js';
export * from './token.service.js';
export * from './jwt.strategy.js';
export * from './jwt-auth.guard.js';
export * from './current-user.decorator.js';
export * from './auth-core.module.js';
