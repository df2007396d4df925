import { unwrap, type VideosListData, videosList } from '@blinked/sdk';
import type { VideoTool } from './tool.types.js';
import { withAbsoluteLinks } from './video-links.js';

export const listVideosTool: VideoTool = {
  name: 'list_videos',
  title: 'List videos',
  description: "The user's videos, newest first, a page at a time (with the total), optionally only those in one status.",
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, { blinked, signal }) {
    const page = unwrap(await videosList({ client: blinked.client, query: args as VideosListData['query'], signal }));
    const items = page.items.map((v) => withAbsoluteLinks(v, blinked.baseUrl));
    const first = (page.page - 1) * page.limit;
    const summary = items.length
      ? `Videos ${first + 1} to ${first + items.length} of ${page.total}, newest first.`
      : `No videos on page ${page.page} (${page.total} in all).`;
    return { summary, resource: { ...page, items } };
  },
};
