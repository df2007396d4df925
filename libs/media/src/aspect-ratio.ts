export { type AspectRatio, ASPECT_RATIOS } from '@app/common';
