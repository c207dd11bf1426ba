import { exportedStatuses, portfolioRelation, ReaderStanding, readsTraceContent, traceRelation, TraceRelation } from './access-rule';
import { TRACE_STATUSES, TraceStatus } from '../traces/referential';

const stranger: ReaderStanding = { roles: [], self: false, tutorship: 'none', jury: 'none' };
const reader = (standing: Partial<ReaderStanding>): ReaderStanding => ({ ...stranger, ...standing });

/** The reader's relation to a trace of each status, in TRACE_STATUSES order (draft, submitted, changes_requested, validated). */
const overStatuses = (standing: ReaderStanding, reviewedByReader = false) => TRACE_STATUSES.map((status) => traceRelation(standing, { status, reviewedByReader }));

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
