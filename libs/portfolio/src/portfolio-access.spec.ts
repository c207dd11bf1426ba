import type { InternWithTies, PortfolioRepository } from '@carnet/database';
import { PortfolioAccess } from './portfolio-access';

const INTERN = '00000000-0000-4000-8000-000000000001';
const READER = '00000000-0000-4000-8000-000000000002';

/** The rule over ties the repository would read: a plain object stands for it, no database. */
function accessWith(row: Partial<InternWithTies> | null) {
  const calls: unknown[][] = [];
  const portfolios = {
    internAndTies: async (...args: unknown[]) => {
      calls.push(args);
      return row && { id: INTERN, roles: ['intern'], promotion: 2024, firstName: 'Inès', lastName: 'Terne', tutor: false, jury: false, ...row };
    },
  } as unknown as PortfolioRepository;
  return { access: new PortfolioAccess(portfolios), calls };
}

describe('PortfolioAccess', () => {
  it('names the relation from the ties read now, and hands the intern without them', async () => {
    const { access, calls } = accessWith({ tutor: true });
    const found = await access.relation({ userId: READER, roles: ['tutor'] }, INTERN);
    expect(found).toEqual({ intern: { id: INTERN, roles: ['intern'], promotion: 2024, firstName: 'Inès', lastName: 'Terne' }, relation: 'tutor' });
    expect(calls).toEqual([[READER, INTERN, undefined]]);
  });

  it.each([
    ['the intern themself', { userId: INTERN, roles: ['intern'] }, {}, 'self'],
    ['a sitting jury member', { userId: READER, roles: ['jury'] }, { jury: true }, 'jury'],
    ['an admin', { userId: READER, roles: ['admin'] }, {}, 'admin'],
    ['a tutor of someone else', { userId: READER, roles: ['tutor'] }, {}, null],
  ] as const)('%s', async (_, reader, ties, relation) => {
    const found = await accessWith(ties).access.relation(reader, INTERN);
    expect(found?.relation ?? null).toBe(relation);
  });

  it('finds no portfolio for a user who is not an intern, nor for no user', async () => {
    expect(await accessWith({ roles: ['tutor'] }).access.relation({ userId: READER, roles: ['admin'] }, INTERN)).toBeNull();
    expect(await accessWith(null).access.relation({ userId: READER, roles: ['admin'] }, INTERN)).toBeNull();
  });
});
