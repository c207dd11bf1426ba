import { Injectable } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import { OneTimeToken, TokenPurpose } from '../entities';
import { Database, Tx } from './database';

/** A link to record: everything but its creation time, which the database gives it. */
export type OneTimeTokenRow = Omit<OneTimeToken, 'createdAt'>;

/** Single-use links by mail (`one_time_token`): the first password of an imported user, or a reset. */
@Injectable()
export class OneTimeTokenRepository {
  constructor(private readonly db: Database) {}

  /** Voids the unused links of `purpose` of these users. */
  async voidUnused(userIds: string[], purpose: TokenPurpose, tx?: Tx): Promise<void> {
    await this.db.manager(tx).update(OneTimeToken, { userId: In(userIds), purpose, usedAt: IsNull() }, { usedAt: new Date() });
  }

  /** Inserts links, 500 a statement (an import invites thousands at once). */
  async insertMany(rows: OneTimeTokenRow[], tx?: Tx): Promise<void> {
    const manager = this.db.manager(tx);
    const created = rows.map((row) => manager.create(OneTimeToken, row));
    for (let i = 0; i < created.length; i += 500) {
      await manager.insert(OneTimeToken, created.slice(i, i + 500));
    }
  }

  /** The unused link of this hash, locked until the transaction ends; null when none. */
  async findUnusedForUpdate(tokenHash: Buffer, tx: Tx): Promise<OneTimeToken | null> {
    return this.db.manager(tx).getRepository(OneTimeToken).findOne({
      where: { tokenHash, usedAt: IsNull() },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async markUsed(id: string, tx?: Tx): Promise<void> {
    await this.db.manager(tx).update(OneTimeToken, { id }, { usedAt: new Date() });
  }

  /** Deletes every link of a user. */
  async deleteAllOf(userId: string, tx?: Tx): Promise<void> {
    await this.db.manager(tx).delete(OneTimeToken, { userId });
  }
}
