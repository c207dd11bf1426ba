import { AssessmentRepository, PortfolioTransferRepository, Transactions, TutorshipRepository, UserRepository } from '@carnet/database';
import { COMPETENCE_CODES, DomainError, ErrorCode } from '@carnet/domain';
import type { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/auth-context';
import { AssessmentsService } from './assessments.service';
import type { PortfolioAccessService } from './portfolio-access.service';

/** The service with its repositories faked at their interface: no database. */
function service(state: { activeTutor: boolean; decided: boolean }) {
  const tx = { tx: true };
  const calls: string[] = [];
  const transactions = { run: (work: (t: unknown) => Promise<unknown>) => work(tx) } as unknown as Transactions;
  const tutorships = {
    isActiveTutor: async (_tutor: string, _intern: string, t: unknown) => (calls.push(`isActiveTutor:${t === tx}`), state.activeTutor),
  } as unknown as TutorshipRepository;
  const assessments = {
    phaseDecided: async (_intern: string, _phase: string, t: unknown) => (calls.push(`phaseDecided:${t === tx}`), state.decided),
    lockOwn: async () => (calls.push('lockOwn'), null),
    saveVersion: async () => (calls.push('saveVersion'), { id: 'a1', version: 1 }),
  } as unknown as AssessmentRepository;
  const portfolios = { relation: async () => ({ relation: 'tutor' }) } as unknown as PortfolioAccessService;
  const audit = { record: async () => void calls.push('audit') } as unknown as AuditService;
  return { calls, assessments: new AssessmentsService(transactions, assessments, tutorships, {} as UserRepository, {} as PortfolioTransferRepository, portfolios, audit) };
}

const auth = { userId: 'tutor-1', roles: ['tutor'] } as AuthContext;
const body = { phase: 'socle' as const, levels: { [COMPETENCE_CODES[0]]: 'novice' }, comment: ' Bien. ', recommendation: 'favorable' as const };

describe('writing an assessment', () => {
  it('is refused once a jury decided the phase, the question asked on the transaction, nothing saved', async () => {
    const { calls, assessments } = service({ activeTutor: true, decided: true });
    const refused = await assessments.write(auth, 'intern-1', body).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe(ErrorCode.Conflict);
    expect(calls).toEqual(['isActiveTutor:true', 'phaseDecided:true']);
  });

  it('is for the active tutor only', async () => {
    const { calls, assessments } = service({ activeTutor: false, decided: false });
    const refused = await assessments.write(auth, 'intern-1', body).catch((error: unknown) => error);
    expect((refused as DomainError).code).toBe(ErrorCode.Forbidden);
    expect(calls).toEqual(['isActiveTutor:true']);
  });
});
