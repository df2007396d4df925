import { Module } from '@nestjs/common';
import { AuthCoreModule } from '@app/auth';
import { AdminController } from './admin.controller.js';
import { AdminService } from './admin.service.js';
import { QueueDashboardController } from './queue-dashboard.controller.js';

@Module({
  imports: [AuthCoreModule],
  controllers: [AdminController, QueueDashboardController],
  providers: [AdminService],
})
export class AdminModule {}
