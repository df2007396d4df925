import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type DatabaseConfig } from '@app/config';
import { dataSourceOptions, ENTITIES } from './data-source.options.js';

/**
 * The TypeORM connection for both apps. The api passes migrationsRun so a
 * deploy applies pending migrations before serving; the worker never migrates.
 */
@Module({})
export class DbModule {
  static forRoot(options: { migrationsRun: boolean }) {
    const repositories = TypeOrmModule.forFeature(ENTITIES);
    return {
      module: DbModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            ...dataSourceOptions(config.getOrThrow<DatabaseConfig>('database').url, { migrationsRun: options.migrationsRun }),
            // A database still starting (compose, a restart) gets a few seconds; then a clear failure.
            retryAttempts: 5,
            retryDelay: 1000,
          }),
        }),
        repositories,
      ],
      exports: [repositories],
    };
  }
}
