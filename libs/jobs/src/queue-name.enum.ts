/**
 * Queue names are stored in Redis keys: once shipped, a value never changes,
 * or jobs already queued under the old name would be stranded.
 */
export enum QueueName {
  Slides = 'slides',
  Voice = 'voice',
  Stitch = 'stitch',
  /** Webhook deliveries, apart from the video queues: a slow receiver never holds up a video. */
  Webhooks = 'webhooks',
}

export const ALL_QUEUES: readonly QueueName[] = [QueueName.Slides, QueueName.Voice, QueueName.Stitch, QueueName.Webhooks];

/** Job names within the queues (same rule: never renamed). */
export enum JobName {
  WriteDeck = 'write-deck',
  VoiceSlide = 'voice-slide',
  StitchVideo = 'stitch-video',
  DeliverWebhook = 'deliver-webhook',
}
