import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type DatabaseConfig } from '@app/config';
import { dataSourceOptions, DEFAULT_POOL_SIZE, ENTITIES } from './data-source.options.js';
import { REPOSITORIES } from './repositories/index.js';

export interface DbModuleOptions {
  /** The api applies pending migrations before serving; the worker never migrates. */
  migrationsRun: boolean;
  /** Most connections this process opens; read from configuration once it is loaded. */
  poolSize?: (config: ConfigService) => number;
}

/**
 * The TypeORM connection and the repositories, for both apps. Everything else
 * reaches the database through the repositories, never through TypeORM directly.
 */
@Module({})
export class DbModule {
  static forRoot(options: DbModuleOptions) {
    const entities = TypeOrmModule.forFeature(ENTITIES);
    return {
      module: DbModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            ...dataSourceOptions(config.getOrThrow<DatabaseConfig>('database').url, {
              migrationsRun: options.migrationsRun,
              poolSize: options.poolSize?.(config) ?? DEFAULT_POOL_SIZE,
            }),
            // A database still starting (compose, a restart) gets a few seconds; then a clear failure.
            retryAttempts: 5,
            retryDelay: 1000,
          }),
        }),
        entities,
      ],
      providers: REPOSITORIES,
      exports: [entities, ...REPOSITORIES],
    };
  }
}
