import { randomBytes } from 'node:crypto';
import { insecureAllowed } from './oidc.client';
import { open, seal } from './secret-box';
import { sessionIndexOf } from './single-logout.service';
import { maskEmail, safeReturnTo } from './university-sign-in.service';

describe('university sign-in rules', () => {
  it('seals a secret that only the same key and row open, and detects tampering', () => {
    const key = randomBytes(32);
    const sealed = seal(key, 's3cr3t-du-client', 'faculty-a');
    expect(sealed.includes(Buffer.from('s3cr3t-du-client'))).toBe(false);
    expect(open(key, sealed, 'faculty-a')).toBe('s3cr3t-du-client');
    expect(() => open(randomBytes(32), sealed, 'faculty-a')).toThrow();
    expect(() => open(key, sealed, 'faculty-b')).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => open(key, tampered, 'faculty-a')).toThrow();
  });

  it('allows plain http only for a provider on this machine, and never in production', () => {
    expect(insecureAllowed(new URL('http://127.0.0.1:4000'), 'test')).toBe(true);
    expect(insecureAllowed(new URL('http://127.0.0.1:4000'), 'production')).toBe(false);
    expect(insecureAllowed(new URL('http://login.univ.example.fr'), 'test')).toBe(false);
    expect(insecureAllowed(new URL('https://login.univ.example.fr'), 'development')).toBe(false);
  });

  it('masks the proposed e-mail, keeping its first letter and domain', () => {
    expect(maskEmail('claire.fabre@etu.univ.fr')).toBe('c•••@etu.univ.fr');
  });

  it('returns only to a path of this site', () => {
    expect(safeReturnTo('/traces?page=2')).toBe('/traces?page=2');
    for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', 'traces', '/a b', undefined, ['/x']]) expect(safeReturnTo(bad)).toBe('/');
  });

  it('reads the service ticket of a CAS logoutRequest, and nothing with a document type or without one ticket', () => {
    const request = (index: string) =>
      `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="LR-1" Version="2.0" IssueInstant="2026-12-06T02:00:00Z"><saml:NameID>@NOT_USED@</saml:NameID><samlp:SessionIndex>${index}</samlp:SessionIndex></samlp:LogoutRequest>`;
    expect(sessionIndexOf(request('ST-1-abc_DEF-cas.univ.fr'))).toBe('ST-1-abc_DEF-cas.univ.fr');
    for (const bad of [request(''), request('TGT-1-abc'), request('ST-1 ST-2'), `<!DOCTYPE r [<!ENTITY t "ST-1-x">]>${request('&t;')}`, '<LogoutRequest>', 'ST-1-abc']) {
      expect(() => sessionIndexOf(bad)).toThrow();
    }
  });
});
