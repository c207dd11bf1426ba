import { actor, Actor, makeUser } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

/** The admin's lists filter stages by semester and kind, and tutorships by promotion. */
let api: TestApp;
let admin: Actor;
let tutor: Actor;
beforeAll(async () => {
  api = await startTestApp();
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier' });
});
afterAll(async () => {
  await api.close();
});

describe('GET /api/stages?semester=&kind=', () => {
  it('refuses without a session and a bad filter, then lists by semester and kind', async () => {
    await api.http.get('/api/stages').query({ kind: 'urgences' }).expect(401);
    await api.http.get('/api/stages').query({ kind: 'cardiologie' }).set('Authorization', admin.bearer).expect(422);
    await api.http.get('/api/stages').query({ semester: 9 }).set('Authorization', admin.bearer).expect(422);

    const intern = await makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier' });
    const other = await makeUser(api.dataSource, { roles: ['tutor'], upp: 'montpellier' });
    const stage = (kind: string, semester: number, supervisors: unknown[]) =>
      api.http.post('/api/stages').set('Authorization', admin.bearer).send({ internId: intern.id, kind, semester, startsOn: '2026-11-02', endsOn: '2027-05-02', supervisors }).expect(201);
    const praticien = await stage('praticien_n1', 1, [
      { tutorId: tutor.user.id, referent: true, halfDaysPerWeek: 4 },
      { tutorId: other.id, referent: false, halfDaysPerWeek: 4 },
    ]);
    const urgences = await stage('urgences', 2, []);

    const bySemester = await api.http.get('/api/stages').query({ internId: intern.id, semester: 2 }).set('Authorization', admin.bearer).expect(200);
    expect(bySemester.body.items.map((s: { id: string }) => s.id)).toEqual([urgences.body.id]);
    const byKind = await api.http.get('/api/stages').query({ internId: intern.id, kind: 'praticien_n1' }).set('Authorization', admin.bearer).expect(200);
    expect(byKind.body).toMatchObject({ total: 1, items: [{ id: praticien.body.id, supervisors: [{ referent: true }, { referent: false }] }] });
    // A supervisor still sees only the stages they supervise, filters or not.
    const asTutor = await api.http.get('/api/stages').query({ kind: 'urgences', internId: intern.id }).set('Authorization', tutor.bearer).expect(200);
    expect(asTutor.body.total).toBe(0);
  });
});

describe('GET /api/tutorships?promotion=', () => {
  it('refuses without a session, to a tutor and a bad promotion, then lists one promotion', async () => {
    await api.http.get('/api/tutorships').query({ promotion: 2025 }).expect(401);
    await api.http.get('/api/tutorships').query({ promotion: 2025 }).set('Authorization', tutor.bearer).expect(403);
    await api.http.get('/api/tutorships').query({ promotion: 'vingt' }).set('Authorization', admin.bearer).expect(422);

    const msu = await makeUser(api.dataSource, { roles: ['tutor'], upp: 'nimes' });
    const [of2024, of2026] = await Promise.all([
      makeUser(api.dataSource, { roles: ['intern'], upp: 'nimes', promotion: 2024 }),
      makeUser(api.dataSource, { roles: ['intern'], upp: 'nimes', promotion: 2026 }),
    ]);
    await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: msu.id, internId: of2024.id }).expect(201);
    const kept = await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: msu.id, internId: of2026.id }).expect(201);
    const listed = await api.http.get('/api/tutorships').query({ tutorId: msu.id, promotion: 2026 }).set('Authorization', admin.bearer).expect(200);
    expect(listed.body).toMatchObject({ total: 1, items: [{ id: kept.body.id, promotion: 2026, intern: { id: of2026.id } }] });
  });
});
