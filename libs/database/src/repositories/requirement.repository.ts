import { Injectable } from '@nestjs/common';
import { Database } from './database';

/** (being moved here) */
@Injectable()
export class RequirementRepository {
  constructor(private readonly db: Database) {}
}
