import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { StorageConfig } from '@app/config';
import { createStorage } from './storage-driver.factory.js';
import { Storage } from './storage.port.js';

@Module({
  providers: [
    {
      provide: Storage,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => createStorage(config.getOrThrow<StorageConfig>('storage')),
    },
  ],
  exports: [Storage],
})
export class StorageModule {}
