import { createVideoTool } from './create-video.tool.js';
import { deleteVideoTool } from './delete-video.tool.js';
import { getVideoTool } from './get-video.tool.js';
import { listVideosTool } from './list-videos.tool.js';
import type { VideoTool } from './tool.types.js';

/** Every tool the server offers, in the order clients list them. */
export const VIDEO_TOOLS: readonly VideoTool[] = [createVideoTool, getVideoTool, listVideosTool, deleteVideoTool];
