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
  /** The traces they reviewed, by intern and status. */
  reviews?: [Intern, TraceStatus][];
}

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
  };
}

describe('the access rule and its SQL agree', () => {
  let database: MigratedDatabase;
  let db: DataSource;
  const ids = new Map<string, string>();
  /** Every trace: its intern, status and id. */
  const traces: { intern: Intern; status: TraceStatus; id: string }[] = [];

  /** The pure rule's answer for each trace, by id. */
  const expected = (reader: ReaderCase) =>
    new Map(
      traces.map((trace) => {
        const reviewedByReader = (reader.reviews ?? []).some(([intern, status]) => intern === trace.intern && status === trace.status);
        return [trace.id, traceRelation(standingOf(reader, trace.intern), { status: trace.status, reviewedByReader })];
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
    for (const intern of INTERNS) {
      for (const status of TRACE_STATUSES) {
        const validated = status === 'validated';
        const [{ id }] = await db.query(
          `INSERT INTO trace (intern_id, kind, title, content, status, validated_at, validated_by, validated_sha256)
           VALUES ($1, 'rsca', $2, '{"type":"doc"}', $3, $4, $5, $6) RETURNING id`,
          [ids.get(intern), `${intern} ${status}`, status, validated ? new Date() : null, validated ? validator : null, validated ? createHash('sha256').update(status).digest('hex') : null],
        );
        traces.push({ intern, status, id });
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
        const trace = traces.find((t) => t.intern === intern && t.status === status)!;
        await db.query(`INSERT INTO trace_reviewer (trace_id, tutor_id) VALUES ($1, $2)`, [trace.id, me]);
      }
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('reads the matrix the way it was meant: every relation and "none" occur', () => {
    const seen = new Set(READERS.flatMap((reader) => [...expected(reader).values()]));
    expect(seen).toEqual(new Set<TraceRelation | null>(['owner', 'tutor', 'former_tutor', 'jury', 'admin', null]));
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
    const found = await db.getRepository(Trace).find({ where: { internId: ids.get('i1'), ...filter } });
    expect(found.map((trace) => trace.status).sort()).toEqual([...exportedStatuses(relation, scope)!].sort());
    expect(exportedTraceFilter('jury', 'all')).toBeNull();
  });
});
