import type { SessionRow, TeachingRepository, Transactions, Tx, UserRepository } from '@carnet/database';
import { DomainError, ErrorCode } from '@carnet/domain';
import type { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/auth-context';
import { TeachingService } from './teaching.service';

/** The registration's decision (the last seat, a second registration), its repository faked at its interface. */
describe('TeachingService.register', () => {
  const intern = { userId: 'intern-1', roles: ['intern'], ip: null, requestId: null } as unknown as AuthContext;
  const session: SessionRow = {
    id: 'session-1',
    title: 'Séminaire',
    kind: 'atelier',
    starts_at: new Date('2030-01-10T09:00:00Z'),
    ends_at: new Date('2030-01-10T12:00:00Z'),
    place: 'Salle 1',
    promotions: [],
    upp_ids: [],
    upp_codes: [],
    capacity: 2,
    mandatory: false,
    phase: null,
    lead_id: 'lead-1',
    lead_first_name: 'Léa',
    lead_last_name: 'Durand',
    attendance_key: Buffer.alloc(32),
    registered: 2,
  };
  const tx = { tx: true } as unknown as Tx;

  function service(seats: { capacity: number | null; taken: number; mine: boolean }) {
    const sessions = {
      findSession: jest.fn(async () => session),
      isRegistered: jest.fn(async () => false),
      lockSeats: jest.fn(async () => seats),
      register: jest.fn(async () => undefined),
      attendanceOfIntern: jest.fn(async () => new Map()),
    };
    const users = { byId: jest.fn(async () => null) } as unknown as UserRepository;
    const transactions = { run: (work: (tx: Tx) => Promise<unknown>) => work(tx) };
    const audit = { record: jest.fn(async () => undefined) };
    const teaching = new TeachingService(sessions as unknown as TeachingRepository, users, transactions as unknown as Transactions, {} as never, {} as never, {} as never, audit as unknown as AuditService);
    return { teaching, sessions, audit };
  }

  const now = new Date('2030-01-01T00:00:00Z');

  it('refuses the seat past the capacity, in French, and writes nothing', async () => {
    const { teaching, sessions, audit } = service({ capacity: 2, taken: 2, mine: false });
    const refused = await teaching.register(intern, 'session-1', undefined, now).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: ErrorCode.Conflict, message: 'La séance « Séminaire » est complète : 2 places, toutes prises.' });
    expect(sessions.register).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('registers on a free seat, the registration and its audit entry in the one transaction', async () => {
    const { teaching, sessions, audit } = service({ capacity: 2, taken: 1, mine: false });
    await teaching.register(intern, 'session-1', undefined, now);
    expect(sessions.lockSeats).toHaveBeenCalledWith('session-1', 'intern-1', tx);
    expect(sessions.register).toHaveBeenCalledWith('session-1', 'intern-1', 'intern-1', tx);
    expect(audit.record).toHaveBeenCalledWith(intern, expect.objectContaining({ action: 'teaching_registration.create' }), tx);
  });
});
