export * from './user.entity.js';
export * from './refresh-token.entity.js';
export * from './prompt.entity.js';
export * from './slide.entity.js';
export * from './voiceover.entity.js';
export * from './video.entity.js';
export * from './generation-cache.entity.js';
export * from './webhook-event-type.js';
