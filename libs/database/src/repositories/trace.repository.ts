import { Injectable } from '@nestjs/common';
import { Database } from './database';

/** (being moved here) */
@Injectable()
export class TraceRepository {
  constructor(private readonly db: Database) {}
}
