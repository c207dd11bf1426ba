import { Injectable } from '@nestjs/common';
import { Upp } from '../entities';
import { Database, Tx } from './database';

/** The UPPs (`upp`), a faculty's teaching units. */
@Injectable()
export class UppRepository {
  constructor(private readonly db: Database) {}

  /** Inserts a UPP and returns it saved (its id). */
  async create(values: { code: string; name: string }, tx?: Tx): Promise<Upp> {
    const manager = this.db.manager(tx);
    const upp = manager.create(Upp, values);
    await manager.save(upp);
    return upp;
  }

  /** A page of the UPPs by name, and how many there are. */
  async page(offset: number, limit: number): Promise<[Upp[], number]> {
    return this.db.manager().getRepository(Upp).findAndCount({ order: { name: 'ASC' }, skip: offset, take: limit });
  }

  async all(tx?: Tx): Promise<Upp[]> {
    return this.db.manager(tx).getRepository(Upp).find();
  }

  /** The UPP of this code (lower case), or null. */
  async findByCode(code: string, tx?: Tx): Promise<Upp | null> {
    return this.db.manager(tx).getRepository(Upp).findOneBy({ code });
  }

  async findById(id: string, tx?: Tx): Promise<Upp | null> {
    return this.db.manager(tx).getRepository(Upp).findOneBy({ id });
  }
}
