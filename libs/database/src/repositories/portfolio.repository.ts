import { Injectable } from '@nestjs/common';
import { Database } from './database';

/** (being moved here) */
@Injectable()
export class PortfolioRepository {
  constructor(private readonly db: Database) {}
}
