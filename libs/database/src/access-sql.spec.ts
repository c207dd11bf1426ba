import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { exportedStatuses, PortfolioRelation, ReaderStanding, Role, TRACE_STATUSES, traceRelation, TraceRelation, TraceStatus } from '@carnet/domain';
import { createMigratedDatabase, MigratedDatabase } from '../../../test/support/database';
import { Trace } from './entities';
import { exportedTraceFilter, INTERN_AND_TIES_SQL, NO_TIES, ReaderTies, readerTiesSql, traceListSql, traceRelationSql } from './access-sql';

/**
 * The pure rule and its SQL, asked the same questions over rows built from one description: for
 * every reader and every trace of every intern, the relation each gives must be the same.
 */

type Intern = 'i1' | 'i2' | 'i3';
const INTERNS: Intern[] = ['i1', 'i2', 'i3'];

interface ReaderCase {
  name: string;
  roles: Role[];
  /** Their tutorships, by intern: one running, one ended (several may have ended). */
  tutorships?: { intern: Intern; ended: boolean }[];
  /** The jury sessions they sit on, and whom each hears. */
  sessions?: { window: 'open' | 'closed' | 'upcoming'; interns: Intern[] }[];
  /** The traces they reviewed, by intern and status (of every kind). */
  reviews?: [Intern, TraceStatus][];
}

/**
 * GEPT groups, each with its lead (a reader's name) and its members now; an intern is in one group
 * a year. A former member is simply not listed: their write-up may still name the meeting.
 */
type Group = 'G1' | 'G2' | 'G3' | 'G4';
const GROUPS: { name: Group; lead: string; year: number; members: Intern[] }[] = [
  { name: 'G1', lead: 'gept lead', year: 2026, members: ['i1', 'i3'] },
  { name: 'G2', lead: 'past tutor', year: 2025, members: ['i1', 'i2'] },
  { name: 'G3', lead: 'lead no more', year: 2024, members: ['i3'] },
  { name: 'G4', lead: 'gept lead on the open jury', year: 2027, members: ['i1'] },
];
/**
 * Each intern's gept traces, one per status for each group's meeting named here, besides an rsca
 * and an unlinked gept trace per status: i2 left G1 after linking; i3's write-up is of G3's
 * meeting, whose lead no longer has the MSU's role, and G1's lead does not read it.
 */
const LINKS: Record<Intern, Group[]> = { i1: ['G1', 'G2', 'G4'], i2: ['G1'], i3: ['G3'] };

const READERS: ReaderCase[] = [
  { name: 'i1', roles: ['intern'] },
  { name: 'i2', roles: ['intern'] },
  { name: 'current tutor', roles: ['tutor'], tutorships: [{ intern: 'i1', ended: false }], reviews: [['i1', 'validated']] },
  { name: 'past tutor', roles: ['tutor'], tutorships: [{ intern: 'i1', ended: true }], reviews: [['i1', 'submitted'], ['i1', 'validated']] },
  { name: 'tutor again', roles: ['tutor'], tutorships: [{ intern: 'i2', ended: true }, { intern: 'i2', ended: false }], reviews: [['i2', 'changes_requested']] },
  { name: 'tutor no more', roles: ['jury'], tutorships: [{ intern: 'i3', ended: false }], reviews: [['i3', 'submitted']] },
  { name: 'open jury', roles: ['jury'], sessions: [{ window: 'open', interns: ['i1', 'i3'] }] },
  { name: 'closed and upcoming jury', roles: ['jury'], sessions: [{ window: 'closed', interns: ['i1'] }, { window: 'upcoming', interns: ['i2'] }] },
  { name: 'jury no more', roles: ['tutor'], sessions: [{ window: 'open', interns: ['i2'] }] },
  { name: 'past tutor on the open jury', roles: ['tutor', 'jury'], tutorships: [{ intern: 'i3', ended: true }], sessions: [{ window: 'open', interns: ['i3'] }], reviews: [['i3', 'changes_requested']] },
  { name: 'admin', roles: ['admin'] },
  { name: 'admin and past tutor', roles: ['tutor', 'admin'], tutorships: [{ intern: 'i2', ended: true }], reviews: [['i2', 'submitted']] },
  { name: 'nobody to them', roles: ['tutor', 'jury'] },
  { name: 'gept lead', roles: ['tutor'] },
  { name: 'lead no more', roles: ['jury'] },
  { name: 'gept lead on the open jury', roles: ['tutor', 'jury'], sessions: [{ window: 'open', interns: ['i1'] }] },
];


/** What the description says of the reader and the intern, as the pure rule takes it. */
function standingOf(reader: ReaderCase, intern: Intern): ReaderStanding {
  const tutorships = (reader.tutorships ?? []).filter((t) => t.intern === intern);
  const sessions = (reader.sessions ?? []).filter((s) => s.interns.includes(intern));
  return {
    roles: reader.roles,
    self: reader.name === intern,
    tutorship: tutorships.some((t) => !t.ended) ? 'current' : tutorships.length ? 'ended' : 'none',
    jury: sessions.some((s) => s.window === 'open') ? 'open' : sessions.length ? 'closed' : 'none',
    geptLead: GROUPS.some((g) => g.lead === reader.name && g.members.includes(intern)),
  };
}

/** Whether the trace names a meeting of a group the reader leads, the intern a member of it now. */
const linkedToReadersGroup = (reader: ReaderCase, trace: { intern: Intern; meeting: Group | null }) =>
  GROUPS.some((g) => g.name === trace.meeting && g.lead === reader.name && g.members.includes(trace.intern));

describe('the access rule and its SQL agree', () => {
  let database: MigratedDatabase;
  let db: DataSource;
  const ids = new Map<string, string>();
  /** Every trace: its intern, status, kind, the group whose meeting it names, and id. */
  const traces: { intern: Intern; status: TraceStatus; kind: 'rsca' | 'gept'; meeting: Group | null; id: string }[] = [];

  /** The pure rule's answer for each trace, by id. */
  const expected = (reader: ReaderCase) =>
    new Map(
      traces.map((trace) => {
        const reviewedByReader = (reader.reviews ?? []).some(([intern, status]) => intern === trace.intern && status === trace.status);
        return [
          trace.id,
          traceRelation(standingOf(reader, trace.intern), { status: trace.status, reviewedByReader, kind: trace.kind, linkedToReadersGeptGroup: linkedToReadersGroup(reader, trace) }),
        ];
      }),
    );
  const accessReader = (reader: ReaderCase) => ({ userId: ids.get(reader.name)!, roles: reader.roles });

  beforeAll(async () => {
    database = await createMigratedDatabase();
    db = database.dataSource;
    await db.query(`INSERT INTO promotion (year) VALUES (2025) ON CONFLICT DO NOTHING`);
    for (const reader of [...READERS, { name: 'i3', roles: ['intern'] as Role[] }]) {
      const intern = reader.roles.includes('intern');
      const [{ id }] = await db.query(`INSERT INTO app_user (email, first_name, last_name, roles, promotion) VALUES ($1, 'Camille', 'Martin', $2, $3) RETURNING id`, [
        `${randomBytes(4).toString('hex')}@dumg.test`,
        reader.roles,
        intern ? 2025 : null,
      ]);
      ids.set(reader.name, id);
    }
    const validator = ids.get('current tutor')!;
    const meetings = new Map<Group, string>();
    for (const group of GROUPS) {
      const [{ id }] = await db.query(`INSERT INTO gept_group (title, lead_id, year) VALUES ($1, $2, $3) RETURNING id`, [group.name, ids.get(group.lead), group.year]);
      for (const intern of group.members) await db.query(`INSERT INTO gept_group_member (group_id, intern_id, year) VALUES ($1, $2, $3)`, [id, ids.get(intern), group.year]);
      const [meeting] = await db.query(`INSERT INTO gept_meeting (group_id, held_on) VALUES ($1, '2026-12-01') RETURNING id`, [id]);
      meetings.set(group.name, meeting.id);
    }
    for (const intern of INTERNS) {
      const kinds: ['rsca' | 'gept', Group | null][] = [['rsca', null], ['gept', null], ...LINKS[intern].map((g) => ['gept', g] as ['gept', Group])];
      for (const [kind, meeting] of kinds) {
        for (const status of TRACE_STATUSES) {
          const validated = status === 'validated';
          const [{ id }] = await db.query(
            `INSERT INTO trace (intern_id, kind, title, content, status, validated_at, validated_by, validated_sha256, gept_meeting_id)
             VALUES ($1, $2, $3, '{"type":"doc"}', $4, $5, $6, $7, $8) RETURNING id`,
            [
              ids.get(intern),
              kind,
              `${intern} ${kind} ${meeting ?? ''} ${status}`,
              status,
              validated ? new Date() : null,
              validated ? validator : null,
              validated ? createHash('sha256').update(status).digest('hex') : null,
              meeting ? meetings.get(meeting) : null,
            ],
          );
          traces.push({ intern, status, kind, meeting, id });
        }
      }
    }
    const day = 86_400_000;
    const windows = { open: [-day, day], closed: [-3 * day, -2 * day], upcoming: [2 * day, 3 * day] } as const;
    for (const reader of READERS) {
      const me = ids.get(reader.name)!;
      // Ended ones first: a tutor again ended one tutorship before the running one began.
      for (const t of [...(reader.tutorships ?? [])].sort((a, b) => Number(b.ended) - Number(a.ended))) {
        await db.query(`INSERT INTO tutorship (tutor_id, intern_id, promotion, ended_at, end_reason) VALUES ($1, $2, 2025, $3, $4)`, [
          me,
          ids.get(t.intern),
          t.ended ? new Date() : null,
          t.ended ? 'fin' : null,
        ]);
      }
      for (const session of reader.sessions ?? []) {
        const [opens, closes] = windows[session.window];
        const [{ id }] = await db.query(`INSERT INTO jury_session (title, phase, opens_at, closes_at) VALUES ('Jury', 'socle', $1, $2) RETURNING id`, [
          new Date(Date.now() + opens),
          new Date(Date.now() + closes),
        ]);
        await db.query(`INSERT INTO jury_member (session_id, user_id) VALUES ($1, $2)`, [id, me]);
        for (const intern of session.interns) await db.query(`INSERT INTO jury_intern (session_id, intern_id) VALUES ($1, $2)`, [id, ids.get(intern)]);
      }
      for (const [intern, status] of reader.reviews ?? []) {
        for (const trace of traces.filter((t) => t.intern === intern && t.status === status)) await db.query(`INSERT INTO trace_reviewer (trace_id, tutor_id) VALUES ($1, $2)`, [trace.id, me]);
      }
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('reads the matrix the way it was meant: every relation and "none" occur', () => {
    const seen = new Set(READERS.flatMap((reader) => [...expected(reader).values()]));
    expect(seen).toEqual(new Set<TraceRelation | null>(['owner', 'tutor', 'gept_lead', 'former_tutor', 'jury', 'admin', null]));
    // The cases the lead's relation is meant to cover, said once.
    const lead = expected(READERS.find((r) => r.name === 'gept lead')!);
    const relationOf = (intern: Intern, kind: string, meeting: Group | null, status: TraceStatus) => lead.get(traces.find((t) => t.intern === intern && t.kind === kind && t.meeting === meeting && t.status === status)!.id);
    expect(relationOf('i1', 'gept', 'G1', 'submitted')).toBe('gept_lead');
    expect(relationOf('i1', 'gept', 'G1', 'draft')).toBeNull();
    expect(relationOf('i1', 'rsca', null, 'submitted')).toBeNull();
    expect(relationOf('i1', 'gept', null, 'submitted')).toBeNull();
    expect(relationOf('i1', 'gept', 'G2', 'submitted')).toBeNull();
    expect(relationOf('i2', 'gept', 'G1', 'submitted')).toBeNull();
    expect(relationOf('i3', 'gept', 'G3', 'validated')).toBeNull();
    const pastTutorAndLead = expected(READERS.find((r) => r.name === 'past tutor')!);
    expect(pastTutorAndLead.get(traces.find((t) => t.intern === 'i1' && t.meeting === 'G2' && t.status === 'changes_requested')!.id)).toBe('gept_lead');
  });

  it.each(READERS.map((reader) => [reader.name, reader] as const))('on one trace at a time (%s)', async (_name, reader) => {
    const rows: { id: string; relation: TraceRelation | null }[] = await db.query(`SELECT t.id, ${traceRelationSql(accessReader(reader), '$1')} AS relation FROM trace t`, [
      ids.get(reader.name),
    ]);
    expect(new Map(rows.map((row) => [row.id, row.relation]))).toEqual(expected(reader));
  });

  it.each(READERS.map((reader) => [reader.name, reader] as const))('on a list, with ties inline and with ties fetched first (%s)', async (_name, reader) => {
    const me = accessReader(reader);
    const want = expected(reader);
    const tiesSql = readerTiesSql(me);
    const [ties] = tiesSql ? ((await db.query(tiesSql, [me.userId])) as ReaderTies[]) : [NO_TIES];
    for (const given of [null, ties]) {
      const values: unknown[] = [];
      const names = new Map<string, string>();
      const bind = (name: string, value: unknown) => names.get(name) ?? (names.set(name, `$${values.push(value)}`), `$${values.length}`);
      const scope = traceListSql(me, given, bind);
      const rows: { id: string; relation: TraceRelation | null; readable: boolean }[] = await db.query(
        `SELECT t.id, ${scope.relation()} AS relation, ${scope.readable()} AS readable FROM trace t ${scope.visible ? `WHERE ${scope.visible}` : ''}`,
        values,
      );
      const listed = new Map([...want].filter(([, relation]) => relation !== null));
      expect(new Map(rows.map((row) => [row.id, row.relation]))).toEqual(listed);
      // Content is read where the relation is not an admin's metadata view.
      expect(rows.filter((row) => row.readable).map((row) => row.id).sort()).toEqual([...listed].filter(([, relation]) => relation !== 'admin').map(([id]) => id).sort());
    }
  });

  it.each(READERS.map((reader) => [reader.name, reader] as const))('on the portfolio ties (%s)', async (_name, reader) => {
    for (const intern of INTERNS) {
      const [row]: { tutor: boolean; jury: boolean }[] = await db.query(INTERN_AND_TIES_SQL, [ids.get(reader.name), ids.get(intern)]);
      const standing = standingOf(reader, intern);
      expect({ intern, tutor: row.tutor, jury: row.jury }).toEqual({ intern, tutor: standing.tutorship === 'current', jury: standing.jury === 'open' });
    }
  });

  it.each<[PortfolioRelation, 'validated' | 'all']>([
    ['self', 'all'],
    ['self', 'validated'],
    ['tutor', 'all'],
    ['jury', 'validated'],
  ])('on the traces an export holds (%s, %s)', async (relation, scope) => {
    const filter = exportedTraceFilter(relation, scope)!;
    const found = await db.getRepository(Trace).find({ where: { internId: ids.get('i1'), kind: 'rsca', ...filter } });
    expect(found.map((trace) => trace.status).sort()).toEqual([...exportedStatuses(relation, scope)!].sort());
    expect(exportedTraceFilter('jury', 'all')).toBeNull();
  });
});
