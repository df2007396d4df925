export * from './video-options.js';
