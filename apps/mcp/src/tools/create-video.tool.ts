import { type GenerateVideoDto, unwrap, type VideoDto, videosGenerate } from '@blinked/sdk';
import { followVideo } from './follow-video.js';
import { withAbsoluteLinks } from './video-links.js';
import type { ToolAnswer, VideoTool } from './tool.types.js';

function finishedSummary(video: VideoDto, waited: number): ToolAnswer {
  switch (video.status) {
    case 'completed':
      return {
        summary: `Video ${video.id} is ready (${video.durationSeconds ?? '?'} s): links.file is the MP4, links.thumbnail a JPEG, links.captions WebVTT.`,
      };
    case 'failed':
      return { summary: `Video ${video.id} failed: ${video.error ?? 'no reason given'}.`, isError: true };
    case 'cancelled':
      return { summary: `Video ${video.id} was cancelled.`, isError: true };
    default:
      return {
        summary:
          `Video ${video.id} is not finished after ${waited} s of waiting: ${video.status}, ${video.progress}% (${video.stage}). ` +
          'It goes on being made; call get_video with its id to follow it.',
      };
  }
}

export const createVideoTool: VideoTool = {
  name: 'create_video',
  title: 'Create a video',
  description:
    'Makes a narrated video (MP4 with captions and a thumbnail) from a prompt: queues it, then waits up to waitSeconds for it to finish. ' +
    'Answers with the video either way (id, status, progress, links); when it is not finished yet, follow it with get_video. ' +
    'Give the same idempotencyKey when retrying a call whose answer was lost, so no second video is made.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async run(args, call) {
    const {
      waitSeconds = call.defaultWaitSeconds,
      idempotencyKey,
      ...request
    } = args as GenerateVideoDto & { waitSeconds?: number; idempotencyKey?: string };
    const { blinked, signal } = call;
    const headers = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : undefined;
    const submitted = unwrap(await videosGenerate({ client: blinked.client, body: request, headers, signal }));
    await call.progress(submitted);
    const followed = await followVideo(blinked.client, submitted, { waitMs: waitSeconds * 1000, signal, onChange: (v) => call.progress(v) });
    if (followed.outcome === 'deleted') return { summary: `Video ${submitted.id} was deleted while it was being made.`, isError: true };
    return { ...finishedSummary(followed.video, waitSeconds), resource: withAbsoluteLinks(followed.video, blinked.baseUrl) };
  },
};
