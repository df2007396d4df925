import { unwrap, type VideosListData, type VideoListDto, videosList } from '@blinked/sdk';
import type { VideoTool } from './tool.types.js';
import { withAbsoluteLinks } from './video-links.js';

export const listVideosTool: VideoTool = {
  name: 'list_videos',
  title: 'List videos',
  description:
    "The user's videos, newest first, a page at a time, optionally only those in one status. For the next page pass the answer's nextCursor as cursor (with the same status).",
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, { blinked, signal }) {
    const page = unwrap(await videosList({ client: blinked.client, query: args as VideosListData['query'], signal }));
    const items = page.items.map((v) => withAbsoluteLinks(v, blinked.baseUrl));
    return { summary: summarise(page, items.length), resource: { ...page, items } };
  },
};

function summarise(page: VideoListDto, count: number): string {
  const more = page.nextCursor ? ` More follow: call again with cursor "${page.nextCursor}".` : '';
  const first = (page.page - 1) * page.limit;
  return count
    ? `Videos ${first + 1} to ${first + count} of ${page.total}, newest first.${more}`
    : `No videos on page ${page.page} (${page.total} in all).`;
}
