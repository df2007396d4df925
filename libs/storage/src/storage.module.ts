import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { StorageConfig } from '@app/config';
import { LocalDiskStorage } from './local-disk.storage.js';
import { Storage } from './storage.port.js';

@Module({
  providers: [
    {
      provide: Storage,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => new LocalDiskStorage(config.getOrThrow<StorageConfig>('storage').dir),
    },
  ],
  exports: [Storage],
})
export class StorageModule {}
