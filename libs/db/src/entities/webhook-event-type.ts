import { VideoStatus } from './video.entity.js';

/** Event types as endpoints subscribe to them and receivers read them in `type`: once shipped, never renamed. */
export enum WebhookEventType {
  VideoCompleted = 'video.completed',
  VideoFailed = 'video.failed',
  VideoCancelled = 'video.cancelled',
  /** A video moved on to another stage (status); only when the endpoint asked for it. */
  VideoProgress = 'video.progress',
  /** POST /webhooks/{id}/test; never subscribed to, sent on demand. */
  Test = 'webhook.test',
}

/** What an endpoint may list in `events`. */
export const SUBSCRIBABLE_EVENTS: readonly WebhookEventType[] = [
  WebhookEventType.VideoCompleted,
  WebhookEventType.VideoFailed,
  WebhookEventType.VideoCancelled,
  WebhookEventType.VideoProgress,
];

/** What an endpoint gets when it lists none: how each video ended. */
export const DEFAULT_EVENTS: readonly WebhookEventType[] = [
  WebhookEventType.VideoCompleted,
  WebhookEventType.VideoFailed,
  WebhookEventType.VideoCancelled,
];

/** The event a video's new status is: its end, or (any working status) progress. */
export function eventForStatus(status: VideoStatus): WebhookEventType {
  switch (status) {
    case VideoStatus.Completed:
      return WebhookEventType.VideoCompleted;
    case VideoStatus.Failed:
      return WebhookEventType.VideoFailed;
    case VideoStatus.Cancelled:
      return WebhookEventType.VideoCancelled;
    case VideoStatus.Queued:
    case VideoStatus.GeneratingSlides:
    case VideoStatus.GeneratingVoice:
    case VideoStatus.Rendering:
      return WebhookEventType.VideoProgress;
  }
}
