import { DomainError } from '../errors';
import { assertAcceptablePassword } from './password-policy';

/** The password rule judges strength (zxcvbn, French feedback), not only length. */
const refusal = (password: string, email?: string) => {
  try {
    assertAcceptablePassword(password, email);
  } catch (error) {
    return error as DomainError;
  }
  return null;
};

describe('assertAcceptablePassword: strength', () => {
  it.each(['aaaaaaaaaaaa', 'password1234', '123456789012', 'azertyuiopqs', 'motdepasse123', 'qwertyuiop123', 'azerty123456'])(
    'refuses %j, long enough but easy to guess, saying why in French',
    (password) => {
      const error = refusal(password);
      expect(error).toBeInstanceOf(DomainError);
      expect(error!.message).toMatch(/^Mot de passe refusé : /);
      expect(error!.errors).toEqual([{ path: 'password', message: expect.any(String) }]);
      expect(error!.errors![0].message).not.toMatch(/\b(the|is|add|avoid)\b/i); // French, not English
    },
  );

  it('explains with zxcvbn’s French feedback', () => {
    expect(refusal('aaaaaaaaaaaa')!.errors![0].message).toMatch(/caractères répétés/);
    expect(refusal('password1234')!.errors![0].message).toMatch(/couramment utilisé/);
  });

  it.each([
    'correct horse battery staple',
    'Un-mot-de-passe-d-admin-2026',
    'Glycémie capillaire à jeun 2026',
    'Zq9!interne-long-pass',
    'une phrase de passe assez longue',
    'nouvelle phrase de passe',
    'une autre phrase de passe',
    'un mot de passe solide',
  ])('accepts %j, as the tests across the repository use it', (password) => {
    expect(refusal(password, 'claire.fabre@etu.fr')).toBeNull();
  });

  it('still checks length and the e-mail first', () => {
    expect(refusal('trop court')!.message).toMatch(/12 caractères/);
    expect(refusal('claire.fabre-xK9!vT2#qL', 'claire.fabre@etu.fr')!.message).toMatch(/adresse e-mail/);
  });
});
