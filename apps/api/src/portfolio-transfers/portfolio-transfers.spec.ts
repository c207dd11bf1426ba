import type { FacultyRepository, PortfolioTransferRepository, PortfolioTransferRow, Transactions } from '@carnet/database';
import { DomainError, ErrorCode } from '@carnet/domain';
import type { StorageDriver } from '@carnet/storage';
import type { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/auth-context';
import { PortfolioTransfersService } from './portfolio-transfers.service';

/** The accept's decisions, its repository faked at its interface: nothing moves unless every check passes. */
describe('accepting a portfolio transfer', () => {
  const auth: AuthContext = { userId: 'admin-b', roles: ['admin'], facultyId: 'faculty-b', sessionId: 's', ip: null, requestId: null };
  const pending: PortfolioTransferRow = {
    id: 'transfer-1',
    from_faculty_id: 'faculty-a',
    to_faculty_id: 'faculty-b',
    from_intern_id: 'intern-a',
    to_intern_id: null,
    intern_email: 'claire@univ.fr',
    intern_name: 'Claire Fabre',
    status: 'pending',
    released_at: new Date(),
    decided_at: null,
    reason: null,
    moved: null,
  };

  function serviceOver(transfer: PortfolioTransferRow, releasedEmail: string) {
    const repository = {
      lockVisible: jest.fn(async () => transfer),
      lockReleasedIntern: jest.fn(async () => ({ id: 'intern-a', email: releasedEmail, intern: true })),
      lockInternByEmail: jest.fn(async () => ({ id: 'intern-b' })),
      runningExportsOf: jest.fn(async () => 0),
      thesesOf: jest.fn(async () => 0),
      movePortfolio: jest.fn(),
      markAccepted: jest.fn(),
    };
    const transactions = { run: (work: (tx: unknown) => Promise<unknown>) => work({}) };
    const service = new PortfolioTransfersService(
      repository as unknown as PortfolioTransferRepository,
      {} as FacultyRepository,
      transactions as unknown as Transactions,
      {} as StorageDriver,
      {} as AuditService,
    );
    return { service, repository };
  }

  async function refusal(promise: Promise<unknown>): Promise<DomainError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }

  it('refuses a transfer already decided (409), moving nothing', async () => {
    const { service, repository } = serviceOver({ ...pending, status: 'cancelled' }, pending.intern_email);
    const error = await refusal(service.accept(auth, pending.id, {}));
    expect([error.code, error.message]).toEqual([ErrorCode.Conflict, 'Ce transfert a déjà été annulé.']);
    expect(repository.movePortfolio).not.toHaveBeenCalled();
    expect(repository.markAccepted).not.toHaveBeenCalled();
  });

  it('refuses when the origin’s row of the intern changed address since the release (409), moving nothing', async () => {
    const { service, repository } = serviceOver(pending, 'someone.else@univ.fr');
    const error = await refusal(service.accept(auth, pending.id, {}));
    expect(error.code).toBe(ErrorCode.Conflict);
    expect(repository.lockInternByEmail).not.toHaveBeenCalled();
    expect(repository.movePortfolio).not.toHaveBeenCalled();
  });
});
