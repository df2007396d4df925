import { Module } from '@nestjs/common';
import { AiModule } from '@app/ai';
import { configModule } from '@app/config';
import { DbModule } from '@app/db';
import { QueuesModule } from '@app/jobs';
import { MediaRunner, SlideRenderer, SpawnMediaRunner, VideoStitcher } from '@app/media';
import { StorageModule } from '@app/storage';
import { DeckStage } from './deck.stage.js';
import { JobCancellation } from './job-cancellation.service.js';
import { SlidesProcessor } from './slides.processor.js';
import { StageRunner } from './stage-runner.service.js';
import { StitchProcessor } from './stitch.processor.js';
import { StitchStage } from './stitch.stage.js';
import { VideoState } from './video-state.service.js';
import { VoiceProcessor } from './voice.processor.js';
import { VoiceStage } from './voice.stage.js';
import { WorkerErrors } from './worker-errors.service.js';

@Module({
  imports: [configModule('worker'), DbModule.forRoot({ migrationsRun: false }), QueuesModule.forRoot('worker'), StorageModule, AiModule],
  providers: [
    { provide: MediaRunner, useFactory: () => new SpawnMediaRunner() },
    { provide: SlideRenderer, useFactory: () => new SlideRenderer() },
    { provide: VideoStitcher, inject: [MediaRunner], useFactory: (runner: MediaRunner) => new VideoStitcher(runner) },
    VideoState,
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
