import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { authConfig } from '@app/config';
import { AccessRevocations } from './access-revocations.service.js';
import { AdminGuard } from './admin.guard.js';
import { JwtStrategy } from './jwt.strategy.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { MediaAuthGuard } from './media-auth.guard.js';
import { PasswordService } from './password.service.js';
import { QueueDashboardPass } from './queue-dashboard-pass.service.js';
import { SignedUrlService } from './signed-url.service.js';
import { TokenService } from './token.service.js';

@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [authConfig.KEY],
      useFactory: (config: ConfigType<typeof authConfig>) => ({
        secret: config.secretKey,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [
    AccessRevocations,
    PasswordService,
    TokenService,
    JwtStrategy,
    JwtAuthGuard,
    SignedUrlService,
    MediaAuthGuard,
    AdminGuard,
    QueueDashboardPass,
  ],
  exports: [AccessRevocations, PasswordService, TokenService, JwtAuthGuard, SignedUrlService, MediaAuthGuard, AdminGuard, QueueDashboardPass],
})
export class AuthCoreModule {}
