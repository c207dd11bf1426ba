import { actor, Actor, PASSWORD } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

// Security findings shown as attacks over HTTP: each failed on the code before its fix.
let api: TestApp;
let admin: Actor;

beforeAll(async () => {
  api = await startTestApp();
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
});
afterAll(async () => {
  await api.close();
});

describe('deeply nested JSON', () => {
  const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

  it('is refused with a 400 French problem, quickly, before authentication or any transformation', async () => {
    for (const body of [deep(5000), '{"a":'.repeat(5000) + '1' + '}'.repeat(5000), `{"email":"a@b.fr","password":${deep(100)}}`]) {
      const started = Date.now();
      const response = await api.http.post('/api/auth/login').set('Content-Type', 'application/json').send(body).expect(400);
      expect(Date.now() - started).toBeLessThan(300);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 400 });
      expect(response.body.detail).toBe('Le corps de la requête JSON est trop imbriqué (64 niveaux au plus).');
    }
    // A +json type too, on another route.
    await api.http.post('/api/traces').set('Authorization', admin.bearer).set('Content-Type', 'application/vnd.carnet+json').send(deep(200)).expect(400);
  });

  it('leaves ordinary bodies alone: brackets inside strings do not count, and a normal login still works', async () => {
    const user = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes' });
    await api.http.post('/api/auth/login').set('Content-Type', 'application/json').send(JSON.stringify({ email: user.email, password: '['.repeat(500) + '\\"{{' })).expect(401);
    await api.http.post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
  });
});

describe('spreadsheet formula injection', () => {
  it('neutralises names starting with = + - @ in the fee export CSV', async () => {
    const intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2026 });
    const evil = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: '@SUM(A1)', lastName: '=HYPERLINK("http://x")' });
    const other = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: '-2+3', lastName: '+1' });
    const created = await api.http
      .post('/api/stages')
      .set('Authorization', admin.bearer)
      .send({
        internId: intern.user.id,
        kind: 'praticien_n1',
        semester: 1,
        place: 'Cabinet de Lodève',
        startsOn: '2026-11-02',
        endsOn: '2027-05-02',
        supervisors: [
          { tutorId: evil.user.id, halfDaysPerWeek: 4, referent: true },
          { tutorId: other.user.id, halfDaysPerWeek: 4, referent: false },
        ],
      })
      .expect(201);
    const fees = await api.http.get(`/api/stages/${created.body.id}/fees`).set('Authorization', admin.bearer).expect(200);
    const names: string[] = fees.body.map((l: { displayName: string }) => l.displayName);
    expect(names.some((n) => /^[=+\-@]/.test(n))).toBe(true);
    const csv = await api.http.get(`/api/stages/${created.body.id}/fees`).query({ format: 'csv' }).set('Authorization', admin.bearer).expect(200);
    const cells = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((line) => line.split(';'));
    for (const row of cells) {
      for (const value of row) expect(value).not.toMatch(/^"?[=+\-@\t\r]/);
    }
    for (const name of names) {
      const expected = /^[=+\-@\t\r]/.test(name) ? `"'${name.replace(/"/g, '""')}"` : `"${name.replace(/"/g, '""')}"`;
      expect(csv.text).toContain(`;${expected};`);
    }
  });

  it('says in the import preview which fields of which lines would be neutralised, and keeps the response shape', async () => {
    await api.http.post('/api/admin/upps').set('Authorization', admin.bearer).send({ code: 'beziers', name: 'Béziers' }).expect(201);
    const csv = [
      'email;lastName;firstName;role;upp;promotion',
      'ok.name@example.fr;Durand;Paul;tutor;beziers;',
      'formula@example.fr;=cmd|\' /C calc\'!A0;@SUM(1);tutor;beziers;',
      'plus@example.fr;Martin;+33;tutor;beziers;',
    ].join('\r\n');
    const response = await api.http.post('/api/admin/users/import').query({ dryRun: 'true' }).set('Authorization', admin.bearer).set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(response.body).toMatchObject({ created: 3, updated: 0, unchanged: 0, errors: [], applied: false });
    expect(response.body.warnings).toEqual([
      { line: 3, message: 'Nom, prénom : commence par =, +, -, @, une tabulation ou un retour chariot ; précédé d’une apostrophe dans les exports CSV (protection contre les formules).' },
      { line: 4, message: 'Prénom : commence par =, +, -, @, une tabulation ou un retour chariot ; précédé d’une apostrophe dans les exports CSV (protection contre les formules).' },
    ]);
  });
});
