import { DomainError } from '../errors';
import { assertDirectorLinkLive, DEFAULT_THESIS_STEPS, stepInputErrors, stepTemplateErrors, thesisInputErrors, thesisStepState } from './thesis';

const now = new Date('2026-12-03T12:00:00Z');

describe('the thesis', () => {
  it('has the three customary steps when the faculty defines none', () => {
    expect(DEFAULT_THESIS_STEPS).toEqual(['Fiche de thèse déposée', 'Comité : validation du sujet', 'Soutenance']);
  });

  it('takes a subject and a director who is an account or a doctor with a name and an address', () => {
    expect(thesisInputErrors({ subject: 'Dépistage du diabète en MSP', director: { kind: 'account', userId: 'u' } })).toEqual([]);
    expect(thesisInputErrors({ subject: 'Sujet', director: { kind: 'external', name: 'Dr Martin', email: 'martin@chu.test' } })).toEqual([]);
    expect(thesisInputErrors({ subject: '  ', director: { kind: 'external', name: '', email: 'pas-une-adresse' } })).toEqual([
      { path: 'subject', message: 'le sujet : texte requis' },
      { path: 'director.name', message: 'le nom du directeur : texte requis' },
      { path: 'director.email', message: 'adresse e-mail invalide' },
    ]);
    expect(thesisInputErrors({ subject: 'x'.repeat(501) })).toEqual([{ path: 'subject', message: 'le sujet : 500 caractères au plus' }]);
    expect(thesisInputErrors({ director: { kind: 'other' } }, true)).toEqual([{ path: 'director.kind', message: 'account (un MSU inscrit) ou external (un autre médecin)' }]);
  });

  it('refuses a step done in the future or a day that does not exist', () => {
    expect(stepInputErrors({ plannedOn: '2027-02-30', doneOn: '2026-12-04' }, now)).toEqual([
      { path: 'plannedOn', message: 'date invalide : une date AAAA-MM-JJ est attendue' },
      { path: 'doneOn', message: 'une étape ne peut pas être franchie dans le futur' },
    ]);
    expect(stepInputErrors({ plannedOn: '2027-06-01', doneOn: null, note: '' }, now)).toEqual([]);
  });

  it('calls a step stalled once its planned day has passed undone', () => {
    expect(thesisStepState({ plannedOn: '2026-12-02', doneOn: null }, now)).toBe('stalled');
    expect(thesisStepState({ plannedOn: '2026-12-03', doneOn: null }, now)).toBe('planned');
    expect(thesisStepState({ plannedOn: '2026-12-02', doneOn: '2026-12-01' }, now)).toBe('done');
    expect(thesisStepState({ plannedOn: null, doneOn: null }, now)).toBe('unplanned');
  });

  it('checks the steps a faculty defines', () => {
    expect(stepTemplateErrors([])).toEqual([{ path: 'steps', message: 'au moins une étape' }]);
    expect(stepTemplateErrors(['Fiche', 'fiche ', ''])).toEqual([
      { path: 'steps.2', message: 'l’intitulé : texte requis' },
      { path: 'steps.1', message: 'intitulé en double' },
    ]);
  });

  it('lets a director’s link serve once, until it expires or is revoked, and says which', () => {
    const live = { expiresAt: new Date('2026-12-10T00:00:00Z'), usedAt: null, revokedAt: null };
    expect(() => assertDirectorLinkLive(live, now)).not.toThrow();
    const message = (link: typeof live | { expiresAt: Date; usedAt: Date | null; revokedAt: Date | null }) => {
      try {
        assertDirectorLinkLive(link, now);
      } catch (error) {
        return error instanceof DomainError ? `${error.code}: ${error.message}` : 'other';
      }
      return 'none';
    };
    expect(message({ ...live, usedAt: now })).toMatch(/^invalid_token: Ce lien a déjà servi/);
    expect(message({ ...live, revokedAt: now })).toMatch(/^invalid_token: Ce lien a été révoqué/);
    expect(message({ ...live, expiresAt: now })).toMatch(/^invalid_token: Ce lien a expiré/);
  });
});
