import { Module } from '@nestjs/common';
import { AuthCoreModule } from '@app/auth';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { VideosModule } from '../videos/videos.module.js';

@Module({
  imports: [AuthCoreModule, VideosModule],
  controllers: [AuthController],
  providers: [AuthService],
})
export class AuthModule {}
