import { Module } from '@nestjs/common';
import { AuthCoreModule } from '@app/auth';
import { AdminController } from './admin.controller.js';
import { AdminService } from './admin.service.js';

@Module({
  imports: [AuthCoreModule],
  controllers: [AdminController],
  providers: [AdminService],
})
export class AdminModule {}
