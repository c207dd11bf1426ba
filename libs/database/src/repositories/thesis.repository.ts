import { Injectable } from '@nestjs/common';
import { Database } from './database';

/** (being moved here) */
@Injectable()
export class ThesisRepository {
  constructor(private readonly db: Database) {}
}
