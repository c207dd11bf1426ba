import fs from 'node:fs';
import path from 'node:path';
import { actor, Actor, makeUser } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const fixture = fs.readFileSync(path.resolve(__dirname, '../../../shared/fixtures/users-dumg.csv'));

let api: TestApp;
let admin: Actor;
beforeAll(async () => {
  api = await startTestApp();
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  for (const [code, name] of [
    ['montpellier', 'Montpellier'],
    ['beziers', 'Béziers'],
    ['narbonne', 'Narbonne'],
    ['nimes', 'Nîmes-Alès-Bagnols-sur-Cèze + Lozère'],
    ['perpignan', 'Perpignan'],
  ]) {
    await api.http.post('/api/admin/upps').set('Authorization', admin.bearer).send({ code, name }).expect(201);
  }
});
afterAll(async () => {
  await api.close();
});

const importCsv = (body: string | Buffer, query: Record<string, string> = {}) =>
  api.http.post('/api/admin/users/import').query(query).set('Authorization', admin.bearer).set('Content-Type', 'text/csv').send(body);
const userCount = async () => Number((await api.dataSource.query('SELECT count(*) FROM app_user'))[0].count);

describe('UPP', () => {
  it('lists the UPP to any signed-in user and refuses a duplicate code with 409', async () => {
    const list = await api.http.get('/api/upps').set('Authorization', admin.bearer).expect(200);
    expect(list.body.items.map((u: { code: string }) => u.code)).toEqual(['beziers', 'montpellier', 'narbonne', 'nimes', 'perpignan']);
    expect(list.body).toMatchObject({ total: 5, page: 1, pageSize: 50 });
    const duplicate = await api.http.post('/api/admin/upps').set('Authorization', admin.bearer).send({ code: 'nimes', name: 'Autre' }).expect(409);
    expect(duplicate.body.errors).toEqual([{ path: 'code', message: 'déjà utilisé' }]);
    await api.http.post('/api/admin/upps').set('Authorization', admin.bearer).send({ code: 'Pas Bien', name: 'x' }).expect(422);
  });
});

describe('the CSV import of users', () => {
  it('previews the French spreadsheet export (BOM, semicolons, CRLF, accents) without changing anything', async () => {
    const before = await userCount();
    const response = await importCsv(fixture, { dryRun: 'true' }).expect(200);
    expect(response.body).toEqual({ created: 13, updated: 0, unchanged: 0, errors: [], applied: false });
    expect(await userCount()).toBe(before);
  });

  it('imports it, then finds the same file unchanged (idempotent by e-mail)', async () => {
    const first = await importCsv(fixture).expect(200);
    expect(first.body).toEqual({ created: 13, updated: 0, unchanged: 0, errors: [], applied: true });
    const again = await importCsv(fixture).expect(200);
    expect(again.body).toEqual({ created: 0, updated: 0, unchanged: 13, errors: [], applied: true });

    const list = await api.http.get('/api/admin/users').query({ q: 'benoit' }).set('Authorization', admin.bearer).expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ email: 'ines.benoit@etu.example.fr', lastName: 'Benoît', firstName: 'Inès', roles: ['intern'], upp: 'perpignan', promotion: 2026 }),
    ]);
    const tutors = await api.http.get('/api/admin/users').query({ role: 'tutor', upp: 'montpellier' }).set('Authorization', admin.bearer).expect(200);
    expect(tutors.body.items.map((u: { lastName: string }) => u.lastName)).toEqual(['Estève', 'Vidal']);
  });

  it('matches e-mails case-insensitively and updates what changed, keeping roles it already had', async () => {
    const csv = 'email,lastName,firstName,role,upp,promotion\nDR.ANNE.VIDAL@msu.example.fr,Vidal-Roux,Anne,jury,montpellier,\n';
    const response = await importCsv(csv).expect(200);
    expect(response.body).toMatchObject({ created: 0, updated: 1, unchanged: 0, errors: [] });
    const anne = await api.http.get('/api/admin/users').query({ q: 'vidal-roux' }).set('Authorization', admin.bearer).expect(200);
    expect(anne.body.items[0]).toMatchObject({ lastName: 'Vidal-Roux', roles: ['tutor', 'jury'] });
  });

  it('reports every faulty line in French and imports nothing', async () => {
    const csv = [
      'email;lastName;firstName;role;upp;promotion',
      'ok.interne@etu.example.fr;Martin;Lou;intern;montpellier;2026',
      'double@etu.example.fr;Dupont;Jo;intern;beziers;2026',
      'DOUBLE@etu.example.fr;Dupont;Jo;intern;beziers;2026',
      'inconnue@etu.example.fr;Petit;Al;intern;toulouse;2026',
      'msu.promo@msu.example.fr;Grand;Bo;tutor;nimes;2025',
      'sans-promo@etu.example.fr;Roy;Li;intern;nimes;',
      'pas-un-email;Roy;Li;intern;nimes;2025',
      'role@etu.example.fr;Roy;Li;docteur;nimes;2025',
    ].join('\r\n');
    const before = await userCount();
    const response = await importCsv(csv).expect(200);
    expect(response.body.applied).toBe(false);
    expect(response.body.errors).toEqual([
      { line: 4, message: 'Adresse e-mail déjà présente ligne 3.' },
      { line: 5, message: 'UPP inconnue « toulouse ».' },
      { line: 6, message: 'Une promotion ne s’applique qu’aux internes.' },
      { line: 7, message: 'Promotion manquante pour un interne.' },
      { line: 8, message: 'Adresse e-mail invalide « pas-un-email ».' },
      { line: 9, message: 'Rôle inconnu « docteur » (intern, tutor, jury ou admin).' },
    ]);
    expect(await userCount()).toBe(before);
  });

  it('names missing columns and refuses what is not CSV', async () => {
    const response = await importCsv('email;nom\nx@y.fr;X\n').expect(200);
    expect(response.body.errors[0]).toMatchObject({ line: 1, message: expect.stringContaining('lastName') });
    await api.http.post('/api/admin/users/import').set('Authorization', admin.bearer).send({ email: 'x' }).expect(415);
  });

  it('reads a spreadsheet’s Windows-1252 file by its charset, and refuses bytes that are not text in it', async () => {
    const csv = Buffer.from('email;lastName;firstName;role;upp;promotion\r\nzoe.lefevre@etu.example.fr;Lefèvre;Zoé;intern;montpellier;2026\r\n', 'latin1');
    const send = (type: string) => api.http.post('/api/admin/users/import').set('Authorization', admin.bearer).set('Content-Type', type).send(csv);
    const before = await userCount();
    const undecodable = await send('text/csv; charset=utf-8').expect(400);
    expect(undecodable.body.detail).toContain('utf-8');
    expect((await send('text/csv; charset=klingon').expect(415)).body.detail).toContain('klingon');
    expect(await userCount()).toBe(before);
    await send('text/csv; charset=windows-1252').expect(200).expect((r) => expect(r.body).toMatchObject({ created: 1, errors: [] }));
    const zoe = await api.http.get('/api/admin/users').query({ q: 'zoe.lefevre' }).set('Authorization', admin.bearer).expect(200);
    expect(zoe.body.items[0]).toMatchObject({ lastName: 'Lefèvre', firstName: 'Zoé' });
  });

  it('takes 5,000 lines in one request', async () => {
    const lines = ['email,lastName,firstName,role,upp,promotion'];
    for (let i = 0; i < 5000; i++) lines.push(`interne${i}@promo.example.fr,Nom${i},Prénom,intern,narbonne,2026`);
    const response = await importCsv(lines.join('\n')).expect(200);
    expect(response.body).toMatchObject({ created: 5000, errors: [], applied: true });
    const list = await api.http.get('/api/admin/users').query({ upp: 'narbonne', promotion: '2026', pageSize: '200', page: '25' }).set('Authorization', admin.bearer).expect(200);
    expect(list.body.total).toBe(5000);
    expect(list.body.items).toHaveLength(200);
    await importCsv(lines.concat('one@too.many,X,Y,intern,narbonne,2026').join('\n')).expect(200).expect((r) => expect(r.body.errors[0].message).toContain('5000'));
  });
});

describe('users by the admin', () => {
  it('creates a user, refuses a duplicate e-mail (409) and a promotion given to a tutor (422)', async () => {
    await api.http.post('/api/admin/users').set('Authorization', admin.bearer)
      .send({ email: 'dr.nouveau@msu.example.fr', lastName: 'Nouveau', firstName: 'Léon', roles: ['tutor'], upp: 'nimes', password: 'un mot de passe solide' })
      .expect(201);
    await api.http.post('/api/admin/users').set('Authorization', admin.bearer)
      .send({ email: 'DR.NOUVEAU@msu.example.fr', lastName: 'Nouveau', firstName: 'Léon', roles: ['tutor'], upp: 'nimes' })
      .expect(409);
    const wrong = await api.http.post('/api/admin/users').set('Authorization', admin.bearer)
      .send({ email: 'dr.autre@msu.example.fr', lastName: 'Autre', firstName: 'Léa', roles: ['tutor'], upp: 'nimes', promotion: 2025 })
      .expect(422);
    expect(wrong.body.errors).toEqual([{ path: 'promotion', message: 'réservée aux internes' }]);
  });

  it('audits a change of roles', async () => {
    const user = await makeUser(api.dataSource, { roles: ['tutor'], upp: 'nimes' });
    await api.http.patch(`/api/admin/users/${user.id}`).set('Authorization', admin.bearer).send({ roles: ['tutor', 'jury'] }).expect(200);
    const audit = await api.http.get('/api/admin/audit').query({ action: 'user.roles_changed', subjectId: user.id }).set('Authorization', admin.bearer).expect(200);
    expect(audit.body.items[0]).toMatchObject({ actorId: admin.user.id, details: { from: ['tutor'], to: ['tutor', 'jury'] } });
  });
});
