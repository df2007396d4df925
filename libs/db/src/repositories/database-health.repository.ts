import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

@Injectable()
export class DatabaseHealthRepository {
  constructor(private readonly manager: EntityManager) {}

  /** True when PostgreSQL answers a trivial query. */
  ping(): Promise<boolean> {
    return this.manager.query('SELECT 1').then(
      () => true,
      () => false,
    );
  }
}
