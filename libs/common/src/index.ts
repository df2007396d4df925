export * from './video-options.js';
export * from './video-resource.js';
export * from './speech-marks.js';
export * from './slide-visual.js';
export * from './caption-files.js';
