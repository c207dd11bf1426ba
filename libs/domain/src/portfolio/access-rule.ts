import type { Role } from '../roles';
import { TRACE_STATUSES, TraceKind, TraceStatus } from '../traces/referential';

/**
 * Who may read which trace of which intern, now: the one statement of the rule. The API and the
 * export worker ask it through its SQL translation (`@carnet/database`'s access-sql), which a
 * test on PostgreSQL holds to this one over every case.
 */

/** How a reader stands to an intern at the moment of the read. */
export interface ReaderStanding {
  roles: readonly Role[];
  /** The reader is the intern. */
  self: boolean;
  /**
   * Their tutorship of the intern: running, ended only (a past tutor), or none. A tutor again of
   * a former tutee is their current tutor.
   */
  tutorship: 'current' | 'ended' | 'none';
  /**
   * The jury sessions where the reader sits and the intern is heard: one of them open now, only
   * closed or not yet open ones, or none.
   */
  jury: 'open' | 'closed' | 'none';
  /** The reader leads a GEPT group the intern belongs to (absent: none). */
  geptLead?: boolean;
}

/** A trace as the rule needs it: its status, and whether this reader reviewed it (commented, sent back, validated). */
export interface TraceStanding {
  status: TraceStatus;
  reviewedByReader: boolean;
  /** Its kind (absent: not a GEPT write-up). */
  kind?: TraceKind;
  /**
   * It is linked to a meeting of a GEPT group the reader leads, and its intern is a member of that
   * group now (absent: no). A trace unlinked, or an intern who left the group, is out of it.
   */
  linkedToReadersGeptGroup?: boolean;
}

/**
 * How the reader relates to a trace, which decides what they see and do:
 * - `owner`: the intern who wrote it, everything;
 * - `tutor`: their current tutor, every trace but drafts;
 * - `gept_lead`: the lead of a GEPT group the intern belongs to, the intern's `gept` traces linked to
 *   a meeting of that group, but drafts: they read and comment, as the group's MSU, beside the
 *   tutor; sending back and validating stay the tutor's (the DES rules make the tutor the validator);
 * - `former_tutor`: a past tutor, the traces they reviewed, read-only (no comment, no review);
 * - `jury`: a member of a jury session the intern is heard by, while it is open: validated traces, read-only;
 * - `admin`: every trace's metadata (no title, no content);
 * anything else does not exist for them.
 */
export type TraceRelation = 'owner' | 'tutor' | 'gept_lead' | 'former_tutor' | 'jury' | 'admin';

/**
 * In the order they are tried: the first that holds names the relation. The lead comes before
 * the read-only ones: a lead who once tutored the intern, or sits on their jury, still comments
 * their group's write-ups.
 */
export const TRACE_RELATIONS: readonly TraceRelation[] = ['owner', 'tutor', 'gept_lead', 'former_tutor', 'jury', 'admin'];

const NOT_DRAFT: readonly TraceStatus[] = TRACE_STATUSES.filter((status) => status !== 'draft');

/**
 * The statuses of the intern's traces each relation reaches. A trace never goes back to draft,
 * so a reviewed trace is never one: the former tutor's statuses only state it.
 */
export const TRACE_STATUSES_SEEN: { readonly [R in TraceRelation]: readonly TraceStatus[] } = {
  owner: TRACE_STATUSES,
  tutor: NOT_DRAFT,
  gept_lead: NOT_DRAFT,
  former_tutor: NOT_DRAFT,
  jury: ['validated'],
  admin: TRACE_STATUSES,
};

/** Whether the reader's standing gives them the relation at all, whatever the trace. */
export function holdsRelation(reader: ReaderStanding, relation: TraceRelation): boolean {
  switch (relation) {
    case 'owner':
      return reader.self;
    case 'tutor':
      return reader.roles.includes('tutor') && reader.tutorship === 'current';
    case 'gept_lead':
      // A lead is an MSU: the tie outlives a role taken away no more than a tutor's.
      return reader.roles.includes('tutor') && reader.geptLead === true;
    case 'former_tutor':
      // A current tutor's reviews are among the traces their tutorship shows anyway.
      return reader.roles.includes('tutor') && reader.tutorship === 'ended';
    case 'jury':
      return reader.roles.includes('jury') && reader.jury === 'open';
    case 'admin':
      return reader.roles.includes('admin');
  }
}

/** Whether the relation, once held, reaches this trace. */
export function reachesTrace(relation: TraceRelation, trace: TraceStanding): boolean {
  if (!TRACE_STATUSES_SEEN[relation].includes(trace.status)) return false;
  if (relation === 'gept_lead') return trace.kind === 'gept' && trace.linkedToReadersGeptGroup === true;
  return relation !== 'former_tutor' || trace.reviewedByReader;
}

/** The reader's relation to the trace now, or null: it does not exist for them. */
export function traceRelation(reader: ReaderStanding, trace: TraceStanding): TraceRelation | null {
  return TRACE_RELATIONS.find((relation) => holdsRelation(reader, relation) && reachesTrace(relation, trace)) ?? null;
}

/** The owner, their tutors, a GEPT lead and a sitting jury read a trace's content; an admin its metadata only. */
export const readsTraceContent = (relation: TraceRelation): boolean => relation !== 'admin';

/**
 * Who takes part in a trace's conversation (comment, answer, resolve): the intern, their tutor and,
 * on a write-up of their group's meeting, the GEPT lead. A past tutor and a jury read it only.
 */
export const commentsOnTrace = (relation: TraceRelation): boolean => relation === 'owner' || relation === 'tutor' || relation === 'gept_lead';

/** Who reads the conversation: those who take part, a past tutor and a sitting jury (read-only). */
export const readsTraceConversation = (relation: TraceRelation): boolean => commentsOnTrace(relation) || relation === 'former_tutor' || relation === 'jury';

/**
 * Who may read an intern's portfolio as a whole (progress, assessments, stages, exports), now:
 * - `self`: the intern;
 * - `tutor`: their current tutor. A past tutor keeps reading the traces they reviewed (the trace
 *   rule) and nothing more: no progress, no assessment, no export;
 * - `jury`: a member of a jury session the intern is heard by, while it is open;
 * - `admin`: the DUMG's staff.
 */
export type PortfolioRelation = 'self' | 'tutor' | 'jury' | 'admin';

/** The reader's relation to the intern's portfolio now, or null (none: it does not exist for them). */
export function portfolioRelation(reader: ReaderStanding): PortfolioRelation | null {
  if (reader.self) return 'self';
  if (holdsRelation(reader, 'tutor')) return 'tutor';
  if (holdsRelation(reader, 'jury')) return 'jury';
  if (holdsRelation(reader, 'admin')) return 'admin';
  return null;
}

/**
 * The statuses of the traces an export of the portfolio holds for its requester, or null when
 * they may not have it: validated traces for anyone who reads the portfolio; every trace
 * they read for the intern and their tutor (a tutor's without drafts); a jury member or an
 * admin exports validated traces only.
 */
export function exportedStatuses(relation: PortfolioRelation | null, scope: 'validated' | 'all'): readonly TraceStatus[] | null {
  if (relation === null) return null;
  if (scope === 'validated') return ['validated'];
  if (relation === 'self') return TRACE_STATUSES_SEEN.owner;
  if (relation === 'tutor') return TRACE_STATUSES_SEEN.tutor;
  return null;
}
