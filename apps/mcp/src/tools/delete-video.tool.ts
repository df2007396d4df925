import { unwrap, videosRemove } from '@blinked/sdk';
import type { VideoTool } from './tool.types.js';

export const deleteVideoTool: VideoTool = {
  name: 'delete_video',
  title: 'Delete a video',
  description: "Deletes one of the user's videos for good: stops any work on it and removes its files. Cannot be undone.",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async run(args, { blinked, signal }) {
    const id = args.id as string;
    unwrap(await videosRemove({ client: blinked.client, path: { id }, signal }));
    return { summary: `Video ${id} is deleted.` };
  },
};
