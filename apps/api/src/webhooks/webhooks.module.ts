import { Module } from '@nestjs/common';
import { AuthCoreModule } from '@app/auth';
import { WebhooksModule as WebhookDeliveryModule } from '@app/webhooks';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

@Module({
  imports: [AuthCoreModule, WebhookDeliveryModule],
  controllers: [WebhooksController],
  providers: [WebhooksService],
})
export class WebhooksModule {}
