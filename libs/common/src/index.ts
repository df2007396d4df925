export * from './video-options.js';
export * from './video-resource.js';
