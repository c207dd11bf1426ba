import { DomainError, ErrorCode } from '../errors';
import { assertAcceptablePassword } from './password-policy';
import { assertCanStartTutorship } from './tutorship-rules';
import { parseUserImport } from './user-import';

const upps = new Set(['montpellier', 'nimes']);

describe('parseUserImport', () => {
  it('reads commas or semicolons, with or without BOM, CRLF or LF, quoted fields', () => {
    const variants = [
      '\uFEFFemail;lastName;firstName;role;upp;promotion\r\na@b.fr;"Dupont; fils";Zoé;intern;nimes;2025\r\n',
      'email,lastName,firstName,role,upp,promotion\na@b.fr,"Dupont; fils",Zoé,intern,nimes,2025\n',
    ];
    for (const text of variants) {
      expect(parseUserImport(text, upps, 2026)).toEqual({
        rows: [{ line: 2, email: 'a@b.fr', lastName: 'Dupont; fils', firstName: 'Zoé', roles: ['intern'], upp: 'nimes', promotion: 2025 }],
        errors: [],
      });
    }
  });

  it('accepts several roles joined by | and columns in any order', () => {
    const { rows } = parseUserImport('role,upp,email,firstName,lastName,promotion\ntutor|jury,Nimes,X@B.FR,Al,Bo,\n', upps, 2026);
    expect(rows[0]).toMatchObject({ email: 'x@b.fr', roles: ['tutor', 'jury'], upp: 'nimes', promotion: null });
  });

  it('numbers lines as the spreadsheet does, skipping blank lines', () => {
    const { errors } = parseUserImport('email,lastName,firstName,role,upp,promotion\n\na@b.fr,,Al,intern,nimes,2025\n', upps, 2026);
    expect(errors).toEqual([{ line: 3, message: 'Nom manquant.' }]);
  });

  it('refuses a promotion in the future or malformed', () => {
    const { errors } = parseUserImport('email,lastName,firstName,role,upp,promotion\na@b.fr,A,B,intern,nimes,2031\nc@d.fr,A,B,intern,nimes,25\n', upps, 2026);
    expect(errors.map((e) => e.line)).toEqual([2, 3]);
    expect(errors[0].message).toContain('promotion invalide'.replace(/^./, 'P'));
  });

  it('says when the file is empty', () => {
    expect(parseUserImport('', upps, 2026).errors).toEqual([{ line: 1, message: 'Le fichier est vide.' }]);
  });
});

describe('assertCanStartTutorship', () => {
  const tutor = { id: 't', roles: ['tutor' as const], promotion: null, active: true };
  const intern = { id: 'i', roles: ['intern' as const], promotion: 2025, active: true };
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return (error as DomainError).code;
    }
    return null;
  };

  it('returns the promotion the tutorship counts against', () => {
    expect(assertCanStartTutorship(tutor, intern, [])).toBe(2025);
  });
  it('allows another promotion for the same tutor', () => {
    expect(assertCanStartTutorship(tutor, intern, [{ tutorId: 't', internId: 'x', promotion: 2024 }])).toBe(2025);
  });
  it('refuses a second tutee of the same promotion', () => {
    expect(code(() => assertCanStartTutorship(tutor, intern, [{ tutorId: 't', internId: 'x', promotion: 2025 }]))).toBe(
      ErrorCode.TutorAlreadyHasPromotionTutee,
    );
  });
  it('refuses a second tutor for the intern', () => {
    expect(code(() => assertCanStartTutorship(tutor, intern, [{ tutorId: 'y', internId: 'i', promotion: 2025 }]))).toBe(ErrorCode.InternAlreadyHasTutor);
  });
  it('refuses inactive people and wrong roles', () => {
    expect(code(() => assertCanStartTutorship({ ...tutor, active: false }, intern, []))).toBe(ErrorCode.RoleMismatch);
    expect(code(() => assertCanStartTutorship(intern, tutor, []))).toBe(ErrorCode.RoleMismatch);
  });
});

describe('assertAcceptablePassword', () => {
  it('wants 12 characters and not the e-mail', () => {
    expect(() => assertAcceptablePassword('trop court')).toThrow(/12 caractères/);
    expect(() => assertAcceptablePassword('claire.fabre-2026!', 'claire.fabre@etu.fr')).toThrow(/adresse e-mail/);
    expect(() => assertAcceptablePassword('une phrase de passe assez longue', 'claire.fabre@etu.fr')).not.toThrow();
  });
});
