import { FindOperator, In } from 'typeorm';
import { exportedStatuses, PortfolioRelation, Role, TRACE_STATUSES, TRACE_STATUSES_SEEN, TraceRelation, TraceStatus } from '@carnet/domain';

/**
 * The access rule of `@carnet/domain` (portfolio/access-rule.ts) as SQL: the one translation the
 * API's trace and portfolio reads and the export worker send. The texts are prepared statements
 * on hot paths: their shape (bound arrays for a list, key lookups for one trace) is deliberate.
 * A spec on PostgreSQL asks both this and the pure rule over a matrix of cases.
 *
 * Two places build every statement: `readerTieSql` (how a reader is tied to interns) and
 * `traceRuleSql` (which of a tied intern's traces that reaches). A predicate every tie must
 * carry goes in the first, one every trace row must meet in the second.
 */

/** The reader as the SQL needs them: who, and with which roles. */
export interface AccessReader {
  userId: string;
  roles: readonly Role[];
}

/** The interns of the open jury sessions where the member `$1` sits: the one definition of "open". */
export const OPEN_SESSION_INTERNS_SQL = `SELECT ji.intern_id FROM jury_intern ji
  JOIN jury_member jm ON jm.session_id = ji.session_id AND jm.user_id = $1
  JOIN jury_session js ON js.id = ji.session_id AND now() >= js.opens_at AND now() < js.closes_at`;

/**
 * The reader's ties to interns: their tutees (a tutorship running), their former tutees (one
 * ended), the interns heard by an open jury session where they sit, the members of the GEPT
 * groups they lead.
 */
export type ReaderTie = 'tutees' | 'former' | 'jury' | 'gept';
export const READER_TIES: readonly ReaderTie[] = ['tutees', 'former', 'jury', 'gept'];

/**
 * The interns (column `intern_id`) the reader `$1` has the tie with; with `intern`, narrowed to
 * that intern (a key lookup, not a tutor's history). Each is a few ids however long the history:
 * a tutor's reviewed traces are found through their former tutees, never listed.
 */
export function readerTieSql(tie: ReaderTie, intern?: string): string {
  switch (tie) {
    case 'tutees':
      return `SELECT intern_id FROM tutorship WHERE tutor_id = $1 AND ended_at IS NULL${intern ? ` AND intern_id = ${intern}` : ''}`;
    case 'former':
      return `SELECT DISTINCT intern_id FROM tutorship WHERE tutor_id = $1 AND ended_at IS NOT NULL${intern ? ` AND intern_id = ${intern}` : ''}`;
    case 'jury':
      // The sessions of one member are few: not narrowed, the planner hashes them.
      return `SELECT DISTINCT intern_id FROM (${OPEN_SESSION_INTERNS_SQL}) j`;
    case 'gept':
      // A lead's groups, by the lead index, then their members by the member key: a few dozen ids.
      return `SELECT DISTINCT gm.intern_id FROM gept_group g JOIN gept_group_member gm ON gm.group_id = g.id WHERE g.lead_id = $1${intern ? ` AND gm.intern_id = ${intern}` : ''}`;
  }
}

/** The role a tie needs: it is not asked of anyone without it. */
const TIE_ROLE: { readonly [T in ReaderTie]: Role } = { tutees: 'tutor', former: 'tutor', jury: 'jury', gept: 'tutor' };
export const mayHaveTie = (reader: AccessReader, tie: ReaderTie): boolean => reader.roles.includes(TIE_ROLE[tie]);

/** The relation's statuses (the domain's) as a predicate on `t.status`, or none when it sees them all. */
function statusSql(relation: TraceRelation): string | null {
  const seen = TRACE_STATUSES_SEEN[relation];
  const hidden = TRACE_STATUSES.filter((status) => !seen.includes(status));
  if (hidden.length === 0) return null;
  if (seen.length === 1) return `t.status = '${seen[0]}'`;
  if (hidden.length === 1) return `t.status <> '${hidden[0]}'`;
  return `t.status IN (${seen.map((status) => `'${status}'`).join(', ')})`;
}

const both = (...terms: (string | null)[]) => `(${terms.filter(Boolean).join(' AND ')})`;

/**
 * The rule on trace `t` for the reader (placeholder `me`), over SQL for their ties (`tie`: an
 * array expression) which they have or not (`has`): `visible`, the traces they reach; `relation`,
 * the first relation that holds (NULL: none). A tie they do not have drops its arm: a plain
 * intern's rule is `t.intern_id = me`. Fragments are built, and their parameters bound, only
 * when used.
 */
export function traceRuleSql(me: () => string, tie: (name: ReaderTie) => string, has: (name: ReaderTie) => boolean, admin: boolean) {
  const arms: { readonly [R in Exclude<TraceRelation, 'owner' | 'admin'>]: () => string } = {
    tutor: () => (has('tutees') ? both(`t.intern_id = ANY(${tie('tutees')})`, statusSql('tutor')) : ''),
    // The trace's meeting (its key), of a group the reader leads, with the intern a member now.
    gept_lead: () =>
      has('gept')
        ? both(
            `t.intern_id = ANY(${tie('gept')})`,
            statusSql('gept_lead'),
            `t.kind = 'gept'`,
            `EXISTS (SELECT 1 FROM gept_meeting gmt JOIN gept_group gg ON gg.id = gmt.group_id AND gg.lead_id = ${me()}
               JOIN gept_group_member ggm ON ggm.group_id = gg.id AND ggm.intern_id = t.intern_id WHERE gmt.id = t.gept_meeting_id)`,
          )
        : '',
    // A review is probed for this trace only (the reviewer row's primary key), never gathered.
    former_tutor: () =>
      has('former')
        ? both(`t.intern_id = ANY(${tie('former')})`, statusSql('former_tutor'), `EXISTS (SELECT 1 FROM trace_reviewer r WHERE r.trace_id = t.id AND r.tutor_id = ${me()})`)
        : '',
    jury: () => (has('jury') ? both(`t.intern_id = ANY(${tie('jury')})`, statusSql('jury')) : ''),
  };
  const owner = () => `t.intern_id = ${me()}`;
  return {
    visible: () => `(${[owner(), arms.tutor(), arms.gept_lead(), arms.former_tutor(), arms.jury()].filter(Boolean).join(' OR ')})`,
    relation: () => {
      // TRACE_RELATIONS' order.
      const held = (['tutor', 'gept_lead', 'former_tutor', 'jury'] as const).map((name) => [arms[name](), name] as const).filter(([sql]) => sql);
      return `(CASE WHEN ${owner()} THEN 'owner'${held.map(([sql, name]) => ` WHEN ${sql} THEN '${name}'`).join('')}${admin ? ` ELSE 'admin'` : ''} END)`;
    },
  };
}

/** The reader's relation to the one trace `t` (reader placeholder `me`), NULL when none. */
export function traceRelationSql(reader: AccessReader, me: string): string {
  const tie = (name: ReaderTie) => `ARRAY(${readerTieSql(name, 't.intern_id').replaceAll('$1', me)})`;
  return traceRuleSql(() => me, tie, (name) => mayHaveTie(reader, name), reader.roles.includes('admin')).relation();
}

/**
 * The reader's (`$1`) ties as uuid arrays in one row, `'{}'` for a tie their roles cannot
 * have; null when they can have none (a plain intern, an admin): nothing to ask.
 */
export function readerTiesSql(reader: AccessReader): string | null {
  if (!READER_TIES.some((name) => mayHaveTie(reader, name))) return null;
  return `SELECT ${READER_TIES.map((name) => `${mayHaveTie(reader, name) ? `ARRAY(${readerTieSql(name)})` : `'{}'::uuid[]`} AS ${name}`).join(', ')}`;
}

export type ReaderTies = { [T in ReaderTie]: string[] };
export const NO_TIES: ReaderTies = { tutees: [], former: [], jury: [], gept: [] };

/**
 * SQL on alias `t` for a list: `visible`, the rows the reader may see (none for an admin, who
 * sees every trace's metadata); `readable`, those whose content they may read (an admin's
 * included); `relation`, theirs to each row. `bind` binds a value once under a name. With `ties`
 * (from `readerTiesSql`), they are bound arrays and a tie the reader lacks drops its arm;
 * without, each tie is a subquery of the statement itself, and the arms follow the roles.
 */
export function traceListSql(
  reader: AccessReader,
  ties: ReaderTies | null,
  bind: (name: 'me' | ReaderTie, value: unknown) => string,
): { visible: string | null; readable: () => string; relation: () => string } {
  const admin = reader.roles.includes('admin');
  const me = () => bind('me', reader.userId);
  const rule = ties
    ? traceRuleSql(me, (name) => `${bind(name, ties[name])}::uuid[]`, (name) => ties[name].length > 0, admin)
    : traceRuleSql(me, (name) => `ARRAY(${readerTieSql(name).replaceAll('$1', me())})`, (name) => mayHaveTie(reader, name), admin);
  return { visible: admin ? null : rule.visible(), readable: rule.visible, relation: rule.relation };
}

/** The intern (`$2`) and what ties the reader (`$1`) to them now, for the portfolio rule: one prepared statement. */
export const INTERN_AND_TIES_SQL = `SELECT u.id, u.roles, u.promotion, u.first_name AS "firstName", u.last_name AS "lastName",
    EXISTS (${readerTieSql('tutees', 'u.id')}) AS tutor,
    EXISTS (${OPEN_SESSION_INTERNS_SQL} WHERE ji.intern_id = u.id) AS jury
  FROM app_user u WHERE u.id = $2`;

/** A TypeORM filter on a trace's status for these statuses: none when they are all of them. */
export function statusFilter(statuses: readonly TraceStatus[]): FindOperator<TraceStatus> | undefined {
  return TRACE_STATUSES.every((status) => statuses.includes(status)) ? undefined : In([...statuses]);
}

/** The filter on the traces an export holds (the domain's `exportedStatuses`); null when the requester may not have it. */
export function exportedTraceFilter(relation: PortfolioRelation | null, scope: 'validated' | 'all'): { status?: FindOperator<TraceStatus> } | null {
  const statuses = exportedStatuses(relation, scope);
  if (!statuses) return null;
  const status = statusFilter(statuses);
  return status ? { status } : {};
}
