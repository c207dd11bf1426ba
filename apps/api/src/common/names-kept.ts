import { Tx, UserRepository } from '@carnet/database';

/**
 * The names of the people `ids` as this faculty may show them (`UserRepository.namesOf`: its own
 * people's, and the names kept at a portfolio's move for those of another faculty, ADR 0007),
 * read through the user repository, or on a transaction's manager a caller still holds.
 */
export function namesOf(source: Pick<UserRepository, 'namesOf'> | Tx, ids: string[], tx?: Tx): Promise<Map<string, string>> {
  return 'namesOf' in source ? source.namesOf(ids, tx) : UserRepository.namesOn(source, ids);
}
