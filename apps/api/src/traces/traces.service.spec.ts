import type { AttachmentRepository, PortfolioTransferRepository, Trace, TraceAccessRepository, TraceRepository, Transactions, TutorshipRepository } from '@carnet/database';
import { DomainError, ErrorCode, TraceRelation, TraceStatus } from '@carnet/domain';
import type { ResolvedConfig } from '@carnet/infrastructure';
import type { StorageDriver } from '@carnet/storage';
import type { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/auth-context';
import { TraceAccessService } from './trace-access.service';
import { TracesService } from './traces.service';

/**
 * The autosave's answer when its UPDATE changed nothing, decided from the trace as it is now
 * (404, 403, 412, 409, in that order), with the repositories faked at their interface.
 */
describe('TracesService.update when nothing was saved', () => {
  const me: AuthContext = { userId: 'intern-1', roles: ['intern'], facultyId: 'faculty-1', sessionId: 's', ip: null, requestId: null };

  function service(now: { relation: TraceRelation; version: number; status: TraceStatus } | null) {
    const saveIfCurrent = jest.fn(async () => undefined);
    const traces = { saveIfCurrent } as unknown as TraceRepository;
    const trace = now && ({ id: 'trace-1', internId: me.userId, version: now.version, status: now.status } as Trace);
    const access = new TraceAccessService({ load: async () => trace && { trace, relation: now!.relation } } as unknown as TraceAccessRepository, {} as TutorshipRepository);
    const config = { extraFamille: false } as ResolvedConfig;
    const traceService = new TracesService(traces, {} as PortfolioTransferRepository, {} as AttachmentRepository, {} as Transactions, config, {} as StorageDriver, access, {} as AuditService);
    return { traces: traceService, saveIfCurrent };
  }

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('saved');
      },
      (error: DomainError) => error.code,
    );

  it('answers 404 for no trace, 403 for another reader, 412 for another version, 409 for a trace under review', async () => {
    await expect(refusal(service(null).traces.update(me, 'trace-1', 3, { title: 'x' }))).resolves.toBe(ErrorCode.NotFound);
    await expect(refusal(service({ relation: 'tutor', version: 4, status: 'submitted' }).traces.update(me, 'trace-1', 3, { title: 'x' }))).resolves.toBe(ErrorCode.Forbidden);
    await expect(refusal(service({ relation: 'owner', version: 4, status: 'submitted' }).traces.update(me, 'trace-1', 3, { title: 'x' }))).resolves.toBe(ErrorCode.StaleVersion);
    await expect(refusal(service({ relation: 'owner', version: 3, status: 'submitted' }).traces.update(me, 'trace-1', 3, { title: 'x' }))).resolves.toBe(ErrorCode.TraceLocked);
  });

  it('tries again while the trace looks editable, three saves in all, then answers that it is changing state', async () => {
    const { traces, saveIfCurrent } = service({ relation: 'owner', version: 3, status: 'draft' });
    await expect(refusal(traces.update(me, 'trace-1', 3, { title: 'x' }))).resolves.toBe(ErrorCode.TraceLocked);
    expect(saveIfCurrent).toHaveBeenCalledTimes(3);
  });
});
