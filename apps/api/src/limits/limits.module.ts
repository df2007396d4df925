import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { LoginThrottle } from './login-throttle.service.js';
import { RedisLimiter } from './redis-limiter.js';
import { RequestRateInterceptor } from './request-rate.interceptor.js';
import { VideoQuotaService } from './video-quota.service.js';

/**
 * Rate limits and generation quotas. Global, so the auth and videos modules
 * reach LoginThrottle and VideoQuotaService without importing it; the request
 * rate applies to every route through a global interceptor.
 */
@Global()
@Module({
  providers: [RedisLimiter, LoginThrottle, VideoQuotaService, { provide: APP_INTERCEPTOR, useClass: RequestRateInterceptor }],
  exports: [LoginThrottle, VideoQuotaService],
})
export class LimitsModule {}
