import { Module } from '@nestjs/common';
import { AuthCoreModule } from '@app/auth';
import { StorageModule } from '@app/storage';
import { VideoEventsService } from './video-events.service.js';
import { VideosController } from './videos.controller.js';
import { VideosService } from './videos.service.js';
import { VideoSlidesService } from './video-slides.service.js';
import { VideoPoll } from './video-poll.service.js';

@Module({
  imports: [AuthCoreModule, StorageModule],
  controllers: [VideosController],
  providers: [VideosService, VideoEventsService, VideoSlidesService, VideoPoll],
  exports: [VideosService],
})
export class VideosModule {}
