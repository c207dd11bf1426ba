import { Injectable } from '@nestjs/common';
import { Database } from './database';

/** The database's part of the health check. */
@Injectable()
export class HealthRepository {
  constructor(private readonly db: Database) {}

  /** One trivial statement: resolves when the database answers. */
  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}
