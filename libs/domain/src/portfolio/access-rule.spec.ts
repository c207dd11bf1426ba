import { commentsOnTrace, exportedStatuses, portfolioRelation, ReaderStanding, readsTraceContent, readsTraceConversation, traceRelation, TraceRelation, TraceStanding, TRACE_RELATIONS } from './access-rule';
import { TRACE_STATUSES, TraceStatus } from '../traces/referential';

const stranger: ReaderStanding = { roles: [], self: false, tutorship: 'none', jury: 'none' };
const reader = (standing: Partial<ReaderStanding>): ReaderStanding => ({ ...stranger, ...standing });

/** The reader's relation to a trace of each status, in TRACE_STATUSES order (draft, submitted, changes_requested, validated). */
const overStatuses = (standing: ReaderStanding, reviewedByReader = false, trace: Partial<TraceStanding> = {}) =>
  TRACE_STATUSES.map((status) => traceRelation(standing, { status, reviewedByReader, ...trace }));
/** A gept trace linked to a meeting of a group the reader leads, the intern a member. */
const groupWriteUp: Partial<TraceStanding> = { kind: 'gept', linkedToReadersGeptGroup: true };

describe('the access rule: who may read which trace of an intern, now', () => {
  it('gives the intern every trace of theirs, drafts included, whatever their roles', () => {
    expect(overStatuses(reader({ roles: ['intern'], self: true }))).toEqual(['owner', 'owner', 'owner', 'owner']);
    expect(overStatuses(reader({ roles: ['intern', 'admin'], self: true }))).toEqual(['owner', 'owner', 'owner', 'owner']);
  });

  it('gives the current tutor every trace but drafts, reviewed or not', () => {
    const tutor = reader({ roles: ['tutor'], tutorship: 'current' });
    expect(overStatuses(tutor)).toEqual([null, 'tutor', 'tutor', 'tutor']);
    expect(overStatuses(tutor, true)).toEqual([null, 'tutor', 'tutor', 'tutor']);
  });

  it('leaves a past tutor the traces they reviewed, read-only, and nothing else', () => {
    const past = reader({ roles: ['tutor'], tutorship: 'ended' });
    expect(overStatuses(past, true)).toEqual([null, 'former_tutor', 'former_tutor', 'former_tutor']);
    expect(overStatuses(past, false)).toEqual([null, null, null, null]);
  });

  it('makes a tutor again of a former tutee their tutor, not a past one', () => {
    expect(overStatuses(reader({ roles: ['tutor'], tutorship: 'current' }), true)).toEqual([null, 'tutor', 'tutor', 'tutor']);
  });

  it('gives a GEPT lead the intern’s gept traces linked to their group’s meetings, but drafts', () => {
    const lead = reader({ roles: ['tutor'], geptLead: true });
    expect(overStatuses(lead, false, groupWriteUp)).toEqual([null, 'gept_lead', 'gept_lead', 'gept_lead']);
  });

  it('gives a GEPT lead nothing else: another kind, a trace unlinked or linked to another group’s meeting, an intern out of their groups', () => {
    const lead = reader({ roles: ['tutor'], geptLead: true });
    expect(overStatuses(lead, false, { kind: 'rsca', linkedToReadersGeptGroup: true })).toEqual([null, null, null, null]);
    expect(overStatuses(lead, false, { kind: 'gept', linkedToReadersGeptGroup: false })).toEqual([null, null, null, null]);
    expect(overStatuses(lead, false, { kind: 'gept' })).toEqual([null, null, null, null]);
    expect(overStatuses(reader({ roles: ['tutor'] }), false, groupWriteUp)).toEqual([null, null, null, null]);
    // The tie without the MSU's role.
    expect(overStatuses(reader({ roles: ['intern'], geptLead: true }), false, groupWriteUp)).toEqual([null, null, null, null]);
  });

  it('lets the intern, their tutor and a GEPT lead comment; a past tutor and a jury read the conversation only', () => {
    expect(TRACE_RELATIONS.filter(commentsOnTrace)).toEqual(['owner', 'tutor', 'gept_lead']);
    expect(TRACE_RELATIONS.filter(readsTraceConversation)).toEqual(['owner', 'tutor', 'gept_lead', 'former_tutor', 'jury']);
    expect(readsTraceContent('gept_lead')).toBe(true);
  });

  it('gives a member of an open jury session hearing the intern their validated traces only', () => {
    expect(overStatuses(reader({ roles: ['jury'], jury: 'open' }))).toEqual([null, null, null, 'jury']);
  });

  it('gives nothing to a member of a closed or not yet open session', () => {
    expect(overStatuses(reader({ roles: ['jury'], jury: 'closed' }))).toEqual([null, null, null, null]);
  });

  it('shows an admin every trace as metadata, whose content they do not read', () => {
    const admin = reader({ roles: ['admin'] });
    expect(overStatuses(admin)).toEqual(['admin', 'admin', 'admin', 'admin']);
    expect(readsTraceContent('admin')).toBe(false);
    expect((['owner', 'tutor', 'former_tutor', 'jury'] as TraceRelation[]).map(readsTraceContent)).toEqual([true, true, true, true]);
  });

  it('takes the closest relation when several hold', () => {
    expect(overStatuses(reader({ roles: ['tutor', 'admin'], tutorship: 'current' }))).toEqual(['admin', 'tutor', 'tutor', 'tutor']);
    expect(overStatuses(reader({ roles: ['tutor', 'jury'], tutorship: 'current', jury: 'open' }))).toEqual([null, 'tutor', 'tutor', 'tutor']);
    expect(overStatuses(reader({ roles: ['tutor', 'jury'], tutorship: 'ended', jury: 'open' }), true)).toEqual([null, 'former_tutor', 'former_tutor', 'former_tutor']);
    expect(overStatuses(reader({ roles: ['tutor', 'jury'], tutorship: 'ended', jury: 'open' }), false)).toEqual([null, null, null, 'jury']);
    expect(overStatuses(reader({ roles: ['jury', 'admin'], jury: 'open' }))).toEqual(['admin', 'admin', 'admin', 'jury']);
    // The tutor stays the tutor of a write-up of their tutee's GEPT group they lead.
    expect(overStatuses(reader({ roles: ['tutor'], tutorship: 'current', geptLead: true }), false, groupWriteUp)).toEqual([null, 'tutor', 'tutor', 'tutor']);
    // A lead who once tutored the intern, or sits on their open jury, comments as the lead.
    expect(overStatuses(reader({ roles: ['tutor'], tutorship: 'ended', geptLead: true }), true, groupWriteUp)).toEqual([null, 'gept_lead', 'gept_lead', 'gept_lead']);
    expect(overStatuses(reader({ roles: ['tutor', 'jury'], jury: 'open', geptLead: true }), false, groupWriteUp)).toEqual([null, 'gept_lead', 'gept_lead', 'gept_lead']);
  });

  it('asks the role as well as the tie: a tie outlives a role taken away', () => {
    expect(overStatuses(reader({ roles: ['jury'], tutorship: 'current' }), true)).toEqual([null, null, null, null]);
    expect(overStatuses(reader({ roles: ['tutor'], jury: 'open' }))).toEqual([null, null, null, null]);
  });

  it('gives nothing to anyone without a tie, whatever their roles but admin', () => {
    expect(overStatuses(reader({ roles: ['intern', 'tutor', 'jury'] }))).toEqual([null, null, null, null]);
  });
});

describe('the portfolio rule: who may read an intern’s portfolio as a whole, now', () => {
  it.each<[string, Partial<ReaderStanding>, ReturnType<typeof portfolioRelation>]>([
    ['the intern', { roles: ['intern'], self: true }, 'self'],
    ['the current tutor', { roles: ['tutor'], tutorship: 'current' }, 'tutor'],
    ['a past tutor', { roles: ['tutor'], tutorship: 'ended' }, null],
    ['a member of an open session', { roles: ['jury'], jury: 'open' }, 'jury'],
    ['a member of a closed session', { roles: ['jury'], jury: 'closed' }, null],
    ['an admin', { roles: ['admin'] }, 'admin'],
    ['a tutor who also sits on the open jury', { roles: ['tutor', 'jury'], tutorship: 'current', jury: 'open' }, 'tutor'],
    ['an admin who is the current tutor', { roles: ['tutor', 'admin'], tutorship: 'current' }, 'tutor'],
    ['a tie without its role', { roles: ['intern'], tutorship: 'current', jury: 'open' }, null],
    ['anyone else', { roles: ['tutor', 'jury'] }, null],
    ['the lead of their GEPT group: their group’s write-ups, not the portfolio', { roles: ['tutor'], geptLead: true }, null],
  ])('%s', (_who, standing, expected) => {
    expect(portfolioRelation(reader(standing))).toBe(expected);
  });
});

describe('what an export of the portfolio holds', () => {
  const all: readonly TraceStatus[] = TRACE_STATUSES;
  it.each<[Parameters<typeof exportedStatuses>[0], readonly TraceStatus[] | null, readonly TraceStatus[] | null]>([
    ['self', ['validated'], all],
    ['tutor', ['validated'], ['submitted', 'changes_requested', 'validated']],
    ['jury', ['validated'], null],
    ['admin', ['validated'], null],
    [null, null, null],
  ])('for %s: validated scope %j, whole scope %j', (relation, validated, whole) => {
    expect(exportedStatuses(relation, 'validated')).toEqual(validated);
    expect(exportedStatuses(relation, 'all')).toEqual(whole);
  });
});
