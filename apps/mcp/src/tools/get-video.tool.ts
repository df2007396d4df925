import { unwrap, videosGet } from '@blinked/sdk';
import type { VideoTool } from './tool.types.js';
import { withAbsoluteLinks } from './video-links.js';

export const getVideoTool: VideoTool = {
  name: 'get_video',
  title: 'Get a video',
  description:
    "One of the user's videos: status (queued, generating_slides, generating_voice, rendering, completed, failed, cancelled), " +
    'stage, progress (0..100), error, duration and links (links.file is the MP4 once completed; the links are signed and expire, so get the video again for fresh ones).',
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, { blinked, signal }) {
    const video = withAbsoluteLinks(unwrap(await videosGet({ client: blinked.client, path: { id: args.id as string }, signal })), blinked.baseUrl);
    const state = video.status === 'failed' ? `failed: ${video.error ?? 'no reason given'}` : `${video.status}, ${video.progress}% (${video.stage})`;
    return { summary: `Video ${video.id} "${video.title}": ${state}.`, resource: video };
  },
};
