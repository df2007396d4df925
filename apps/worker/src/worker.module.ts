import { Module } from '@nestjs/common';
import { configModule } from '@app/config';
import { DbModule } from '@app/db';
import { QueuesModule } from '@app/jobs';

@Module({
  imports: [configModule(), DbModule.forRoot({ migrationsRun: false }), QueuesModule.forRoot('worker')],
})
export class WorkerModule {}
