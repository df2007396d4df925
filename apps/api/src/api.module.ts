import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { configModule } from '@app/config';
import { DbModule } from '@app/db';
import { QueuesModule } from '@app/jobs';
import { MetricsModule } from '@app/observability';
import { AdminModule } from './admin/admin.module.js';
import { AuthModule } from './auth/auth.module.js';
import { HttpErrorFilter } from './common/http-error.filter.js';
import { LogUserInterceptor } from './common/log-user.interceptor.js';
import { HealthModule } from './health/health.module.js';
import { LimitsModule } from './limits/limits.module.js';
import { ApiMetricsModule } from './metrics/metrics.module.js';
import { VideosModule } from './videos/videos.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

@Module({
  imports: [
    configModule('api'),
    DbModule.forRoot({ migrationsRun: true }),
    QueuesModule.forRoot('producer'),
    MetricsModule.forRoot('api'),
    LimitsModule,
    AuthModule,
    VideosModule,
    AdminModule,
    WebhooksModule,
    HealthModule,
    ApiMetricsModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: HttpErrorFilter },
    { provide: APP_INTERCEPTOR, useClass: LogUserInterceptor },
  ],
})
export class ApiModule {}
