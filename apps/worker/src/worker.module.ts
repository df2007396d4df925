import { Module } from '@nestjs/common';
import { AiModule } from '@app/ai';
import { configModule } from '@app/config';
import { DbModule } from '@app/db';
import { QueuesModule } from '@app/jobs';
import { MediaRunner, SlideRenderer, SpawnMediaRunner, VideoStitcher } from '@app/media';
import { StorageModule } from '@app/storage';
import { DeckStage } from './stages/deck.stage.js';
import { JobCancellation } from './lifecycle/job-cancellation.service.js';
import { SlidesProcessor } from './processors/slides.processor.js';
import { StageRunner } from './stages/stage-runner.service.js';
import { StitchProcessor } from './processors/stitch.processor.js';
import { StitchStage } from './stages/stitch.stage.js';
import { LiveVideo } from './stages/live-video.service.js';
import { VoiceProcessor } from './processors/voice.processor.js';
import { VoiceStage } from './stages/voice.stage.js';
import { WorkerErrors } from './lifecycle/worker-errors.service.js';

@Module({
  imports: [configModule('worker'), DbModule.forRoot({ migrationsRun: false }), QueuesModule.forRoot('worker'), StorageModule, AiModule],
  providers: [
    { provide: MediaRunner, useFactory: () => new SpawnMediaRunner() },
    { provide: SlideRenderer, useFactory: () => new SlideRenderer() },
    { provide: VideoStitcher, inject: [MediaRunner], useFactory: (runner: MediaRunner) => new VideoStitcher(runner) },
    LiveVideo,
    StageRunner,
    DeckStage,
    VoiceStage,
    StitchStage,
    SlidesProcessor,
    VoiceProcessor,
    StitchProcessor,
    JobCancellation,
    WorkerErrors,
  ],
})
export class WorkerModule {}
