import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AiModule } from '@app/ai';
import { SignedUrlService } from '@app/auth';
import { configModule, type WorkerConfig } from '@app/config';
import { DbModule } from '@app/db';
import { QueuesModule } from '@app/jobs';
import { MediaModule } from '@app/media';
import { HealthChecksModule, MetricsModule } from '@app/observability';
import { StorageModule } from '@app/storage';
import { WebhooksModule } from '@app/webhooks';
import { workerPoolSize } from './lifecycle/db-pool-size.js';
import { JobCancellation } from './lifecycle/job-cancellation.service.js';
import { Reconciler } from './lifecycle/reconciler.service.js';
import { WorkDirSweep } from './lifecycle/work-dir-sweep.service.js';
import { WorkerErrors } from './lifecycle/worker-errors.service.js';
import { FailedJobsListener } from './lifecycle/failed-jobs.listener.js';
import { VideoFailures } from './lifecycle/video-failures.service.js';
import { WorkerShutdown } from './lifecycle/worker-shutdown.service.js';
import { WebhookRelay } from './lifecycle/webhook-relay.service.js';
import { QueueGauges } from './observability/queue-gauges.js';
import { WorkerHttpServer } from './observability/worker-http.server.js';
import { WorkerReadiness } from './observability/worker-readiness.service.js';
import type { PipelineProcessor } from './processors/pipeline-processor.js';
import { ProcessorRegistry } from './processors/processor-registry.js';
import { SlidesProcessor } from './processors/slides.processor.js';
import { StitchProcessor } from './processors/stitch.processor.js';
import { VoiceProcessor } from './processors/voice.processor.js';
import { WebhooksProcessor } from './processors/webhooks.processor.js';
import { DeckStage } from './stages/deck.stage.js';
import { SlidePictureService } from './stages/slide-picture.service.js';
import { LiveVideo } from './stages/live-video.service.js';
import { StageRunner } from './stages/stage-runner.service.js';
import { SlideSegments } from './stages/slide-segments.service.js';
import { StitchStage } from './stages/stitch.stage.js';
import { VoiceStage } from './stages/voice.stage.js';
import { WebhookStage } from './stages/webhook.stage.js';

/** One processor per queue of ALL_QUEUES; main.ts refuses to start when one is missing. */
export const WORKER_PROCESSORS = [SlidesProcessor, VoiceProcessor, StitchProcessor, WebhooksProcessor];

@Module({
  imports: [
    configModule('worker'),
    DbModule.forRoot({
      migrationsRun: false,
      poolSize: (config: ConfigService) => workerPoolSize(config.getOrThrow<WorkerConfig>('worker').concurrency),
    }),
    QueuesModule.forRoot('worker'),
    MetricsModule.forRoot('worker'),
    HealthChecksModule,
    StorageModule,
    MediaModule,
    AiModule,
    WebhooksModule,
  ],
  providers: [
    LiveVideo,
    VideoFailures,
    StageRunner,
    DeckStage,
    SlidePictureService,
    SlideSegments,
    VoiceStage,
    StitchStage,
    // Media links in webhook events are signed as the api signs them (same SECRET_KEY).
    SignedUrlService,
    WebhookStage,
    ...WORKER_PROCESSORS,
    { provide: ProcessorRegistry, inject: WORKER_PROCESSORS, useFactory: (...p: PipelineProcessor[]) => new ProcessorRegistry(p) },
    JobCancellation,
    WorkerErrors,
    FailedJobsListener,
    WorkerShutdown,
    Reconciler,
    WorkDirSweep,
    WebhookRelay,
    QueueGauges,
    WorkerReadiness,
    WorkerHttpServer,
  ],
})
export class WorkerModule {}
