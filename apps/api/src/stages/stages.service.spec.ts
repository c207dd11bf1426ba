import type { Stage, StageDifficulty, StageRepository, Transactions, UppRepository, User, UserRepository } from '@carnet/database';
import { DomainError, ErrorCode } from '@carnet/domain';
import type { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/auth-context';
import type { PortfolioAccessService } from '../portfolios/portfolio-access.service';
import { StagesService } from './stages.service';

/** Who reads a stage's difficulties, decided on the repositories' rows (faked: no database). */
describe('a stage’s difficulties', () => {
  const stage = { id: 'stage', internId: 'intern', kind: 'praticien_n1' } as Stage;
  const people: Record<string, Partial<User>> = { intern: { id: 'intern', uppId: 'upp-a' }, coordA: { id: 'coordA', uppId: 'upp-a' }, coordB: { id: 'coordB', uppId: 'upp-b' }, dumg: { id: 'dumg', uppId: null } };
  const rows = [
    { id: 'd1', stageId: 'stage', reporterId: 'intern', body: 'un', createdAt: new Date('2026-01-05T10:00:00Z') },
    { id: 'd2', stageId: 'stage', reporterId: 'msu', body: 'deux', createdAt: new Date('2026-01-06T10:00:00Z') },
  ] as StageDifficulty[];
  const audited: unknown[] = [];
  const stages = {
    inFaculty: async (id: string) => (id === stage.id ? stage : null),
    supervises: async (_stageId: string, tutorId: string) => tutorId === 'msu',
    difficultiesOf: async (_stageId: string, reporterId?: string) => rows.filter((r) => reporterId === undefined || r.reporterId === reporterId),
  } as unknown as StageRepository;
  const names = { byId: async (id: string) => people[id] ?? null, namesOf: async (ids: string[]) => new Map(ids.map((id) => [id, `Nom ${id}`])) } as unknown as UserRepository;
  const audit = { record: async (_who: unknown, entry: unknown) => void audited.push(entry) } as unknown as AuditService;
  const service = new StagesService(stages, names, {} as UppRepository, {} as Transactions, {} as PortfolioAccessService, audit);
  const as = (userId: string, admin = false) => ({ userId, roles: admin ? ['admin'] : ['tutor'] }) as AuthContext;

  it('are all read by an admin of the intern’s UPP or of none, and hidden (404) from another UPP’s', async () => {
    expect((await service.difficulties(as('coordA', true), 'stage')).map((d) => d.id)).toEqual(['d1', 'd2']);
    expect((await service.difficulties(as('dumg', true), 'stage')).map((d) => d.id)).toEqual(['d1', 'd2']);
    const refused = await service.difficulties(as('coordB', true), 'stage').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe(ErrorCode.NotFound);
  });

  it('are read by a reporter of the stage, their own only, and every read is audited', async () => {
    audited.length = 0;
    const read = await service.difficulties(as('msu'), 'stage');
    expect(read).toEqual([{ id: 'd2', reporter: { id: 'msu', displayName: 'Nom msu' }, body: 'deux', createdAt: '2026-01-06T10:00:00.000Z' }]);
    expect(audited).toEqual([{ action: 'stage.difficulties_read', subjectType: 'stage', subjectId: 'stage', details: { count: 1 } }]);
  });
});
