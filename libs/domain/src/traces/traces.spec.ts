import { DomainError, ErrorCode } from '../errors';
import { findPatientIdentifiers } from './patient-identifiers';
import { assertDeletable, assertEditable, requestChanges, submit, validate } from './trace-workflow';
import { TRACE_STATUSES, TraceStatus } from './referential';

const codeOf = (fn: () => unknown): ErrorCode | 'ok' => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as DomainError).code;
  }
};

describe('the trace workflow, from every state', () => {
  const owner = 'intern-1';
  const tutor = { userId: 'tutor-1', isActiveTutor: true };
  const formerTutor = { userId: 'tutor-0', isActiveTutor: false };
  const expected: Record<TraceStatus, Record<string, ErrorCode | 'ok'>> = {
    draft: { edit: 'ok', submit: 'ok', requestChanges: ErrorCode.TraceStateConflict, validate: ErrorCode.TraceStateConflict },
    submitted: { edit: ErrorCode.TraceLocked, submit: ErrorCode.TraceStateConflict, requestChanges: 'ok', validate: 'ok' },
    changes_requested: { edit: 'ok', submit: 'ok', requestChanges: ErrorCode.TraceStateConflict, validate: ErrorCode.TraceStateConflict },
    validated: { edit: ErrorCode.TraceLocked, submit: ErrorCode.TraceStateConflict, requestChanges: ErrorCode.TraceStateConflict, validate: ErrorCode.TraceStateConflict },
  };
  it.each(TRACE_STATUSES)('from %s', (status) => {
    const trace = { status, internId: owner };
    expect({
      edit: codeOf(() => assertEditable(trace, owner)),
      submit: codeOf(() => submit(trace, owner)),
      requestChanges: codeOf(() => requestChanges(trace, tutor)),
      validate: codeOf(() => validate(trace, tutor)),
    }).toEqual(expected[status]);
  });

  it('lets only the owner edit or submit, and only the active tutor review', () => {
    expect(codeOf(() => submit({ status: 'draft', internId: owner }, 'someone-else'))).toBe(ErrorCode.NotFound);
    expect(codeOf(() => assertEditable({ status: 'draft', internId: owner }, 'someone-else'))).toBe(ErrorCode.NotFound);
    expect(codeOf(() => validate({ status: 'submitted', internId: owner }, formerTutor))).toBe(ErrorCode.Forbidden);
  });

  it('deletes only a draft never submitted', () => {
    expect(codeOf(() => assertDeletable({ status: 'draft', internId: owner, everSubmitted: false }, owner))).toBe('ok');
    expect(codeOf(() => assertDeletable({ status: 'changes_requested', internId: owner, everSubmitted: true }, owner))).toBe(ErrorCode.TraceStateConflict);
  });
});

describe('the patient-identifier scan', () => {
  const kinds = (text: string) => findPatientIdentifiers(text).map((w) => [w.kind, w.excerpt]);

  it('finds names after a civility, with their position', () => {
    const text = 'Je reçois Mme Dupont, 67 ans, puis M. Jean-Pierre Martin.';
    const warnings = findPatientIdentifiers(text);
    expect(warnings.map((w) => w.excerpt)).toEqual(['Mme Dupont', 'M. Jean-Pierre Martin']);
    expect(text.slice(warnings[0].from, warnings[0].to)).toBe('Mme Dupont');
  });

  it('stays quiet on the usual anonymisations', () => {
    expect(kinds('Mme X, 54 ans, et M. D. son mari ; Madame Y. reviendra. Le Dr revoit M. X le lendemain.')).toEqual([]);
  });

  it('finds dates of birth, not any date', () => {
    expect(kinds('Patiente née le 12/03/1957, vue le 14/11/2026.')).toEqual([['birth_date', '12/03/1957']]);
    expect(kinds('DDN : 3 mars 1961')).toEqual([['birth_date', '3 mars 1961']]);
  });

  it('finds a NIR by its key, or by its context whatever its key', () => {
    // 1 57 03 34 172 005, key 97 - (1570334172005 mod 97)
    const base = 1570334172005n;
    const key = String(97n - (base % 97n)).padStart(2, '0');
    const wrong = key === '01' ? '02' : '01';
    expect(kinds(`Le 1 57 03 34 172 005 ${key} figure sur le bon.`)).toEqual([['nir', `1 57 03 34 172 005 ${key}`]]);
    expect(kinds(`Le 1 57 03 34 172 005 ${wrong} figure sur le bon.`)).toEqual([]);
    expect(kinds(`NIR 1 57 03 34 172 005 ${wrong}`)).toEqual([['nir', `1 57 03 34 172 005 ${wrong}`]]);
    expect(kinds(`Carte Vitale : 1570334172005${wrong}`)).toEqual([['nir', `1570334172005${wrong}`]]);
  });

  it('finds phone numbers and e-mail addresses', () => {
    expect(kinds('Rappeler au 06 12 34 56 78 ou +33 4 67 00 00 00, ou jean.d@exemple.fr')).toEqual([
      ['phone', '06 12 34 56 78'],
      ['phone', '+33 4 67 00 00 00'],
      ['email', 'jean.d@exemple.fr'],
    ]);
  });
});
