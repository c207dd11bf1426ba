import type { FacultyRepository, Transactions, User } from '@carnet/database';
import { DomainError, ErrorCode } from '@carnet/domain';
import type { ResolvedConfig } from '@carnet/infrastructure';
import type { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/auth-context';
import type { OneTimeTokensService } from '../auth/one-time-tokens.service';
import type { SessionsService } from '../auth/sessions.service';
import { FacultiesService } from './faculties.service';

/** Switching faculty, decided before any write: the repository faked at its interface, no database. */
describe('switching faculty', () => {
  const auth: AuthContext = { userId: 'me-in-a', roles: ['tutor'], facultyId: 'a', sessionId: 's1', ip: null, requestId: null };
  const origin = { ip: null, requestId: null, userAgent: null };
  const service = (target: Partial<User> | null, university: string | null) => {
    const transactions = { run: jest.fn() };
    const faculties = { membershipIn: jest.fn(async () => target), universityOfSession: jest.fn(async () => university) };
    const made = new FacultiesService({} as ResolvedConfig, {} as SessionsService, {} as OneTimeTokensService, {} as AuditService, faculties as unknown as FacultyRepository, transactions as unknown as Transactions);
    return { made, transactions };
  };
  const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: DomainError) => error);

  it('refuses a faculty the person is no member of (404), the one they work in (409), and a session their university opened (403, naming it), opening nothing', async () => {
    const none = service(null, null);
    expect((await refusal(none.made.switchTo(auth, 'b', origin)))?.code).toBe(ErrorCode.NotFound);
    const same = service({ id: 'me-in-a' }, null);
    expect((await refusal(same.made.switchTo(auth, 'a', origin)))?.code).toBe(ErrorCode.Conflict);
    const ent = service({ id: 'me-in-b' }, 'Faculté A');
    const error = await refusal(ent.made.switchTo(auth, 'b', origin));
    expect(error?.code).toBe(ErrorCode.Forbidden);
    expect(error?.message).toContain('l’ENT de Faculté A');
    for (const { transactions } of [none, same, ent]) expect(transactions.run).not.toHaveBeenCalled();
  });
});
