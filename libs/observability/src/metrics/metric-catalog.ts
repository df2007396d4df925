/**
 * Every metric BlinkEd exports, in one place: name, help and labels. The names are
 * what dashboards and alerts query, so they never change once shipped (add a new
 * one instead); README "Metrics" lists them all, and a spec keeps the two in step.
 * Process metrics (process_*, nodejs_*) come from prom-client's defaults.
 */
export const METRICS = {
  httpRequestDuration: {
    name: 'blinked_http_request_duration_seconds',
    help: 'api: time to answer an HTTP request, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  },
  queueJobs: {
    name: 'blinked_queue_jobs',
    help: 'Jobs in each queue by state, read from Redis at each scrape (every worker reports the same numbers: aggregate with max)',
    labelNames: ['queue', 'state'],
  },
  stageDuration: {
    name: 'blinked_stage_duration_seconds',
    help: 'worker: time one successful stage run took (deck: the whole deck; voice: one slide; stitch: the encode and upload)',
    labelNames: ['stage'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600],
  },
  videoEndToEnd: {
    name: 'blinked_video_end_to_end_seconds',
    help: 'worker: from a video being submitted to it being completed',
    labelNames: [],
    buckets: [5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600],
  },
  videosFinished: {
    name: 'blinked_videos_finished_total',
    help: 'Videos that reached a final status (completed and failed in the workers, cancelled in the api)',
    labelNames: ['status'],
  },
  stageFailures: {
    name: 'blinked_stage_failures_total',
    help: 'worker: failed stage attempts, retried or not, by stage and cause',
    labelNames: ['stage', 'cause'],
  },
  providerCalls: {
    name: 'blinked_provider_calls_total',
    help: 'worker: calls to a slide writer (llm), narrator (tts) or picture source (image), by provider and outcome (ok or the failure kind)',
    labelNames: ['kind', 'provider', 'outcome'],
  },
  providerCallDuration: {
    name: 'blinked_provider_call_duration_seconds',
    help: 'worker: time one provider call took, whatever its outcome',
    labelNames: ['kind', 'provider'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
  },
  llmTokens: {
    name: 'blinked_llm_tokens_total',
    help: 'worker: LLM tokens billed, by provider, model and direction (input, output)',
    labelNames: ['provider', 'model', 'direction'],
  },
  ttsCharacters: {
    name: 'blinked_tts_characters_total',
    help: 'worker: characters sent to a text-to-speech engine (billed by Google)',
    labelNames: ['provider'],
  },
  cacheLookups: {
    name: 'blinked_generation_cache_lookups_total',
    help: 'worker: generation cache lookups by kind (deck, audio, image) and result (hit: no provider call)',
    labelNames: ['kind', 'result'],
  },
  stitchRealtimeFactor: {
    name: 'blinked_stitch_realtime_factor',
    help: 'worker: seconds of video encoded per second of wall time by one stitch (66 on an idle 2-core machine)',
    labelNames: [],
    buckets: [1, 2, 5, 10, 20, 30, 45, 60, 90, 120, 200],
  },
  webhookDeliveries: {
    name: 'blinked_webhook_deliveries_total',
    help: 'worker: webhook delivery attempts by outcome (delivered, retrying, failed for good, refused by our URL rules)',
    labelNames: ['outcome'],
  },
} as const;

export type MetricKey = keyof typeof METRICS;

/** Final statuses a video can reach. */
export type FinishedStatus = 'completed' | 'failed' | 'cancelled';
export const FINISHED_STATUSES: readonly FinishedStatus[] = ['completed', 'failed', 'cancelled'];

/** What the webhook delivery code reports for each attempt. */
export type WebhookOutcome = 'delivered' | 'retrying' | 'failed' | 'refused';
export const WEBHOOK_OUTCOMES: readonly WebhookOutcome[] = ['delivered', 'retrying', 'failed', 'refused'];
