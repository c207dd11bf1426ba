import { actor, Actor, login, makeUser } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

let api: TestApp;
let admin: Actor;
beforeAll(async () => {
  api = await startTestApp();
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
});
afterAll(async () => {
  await api.close();
});

const assign = (tutorId: string, internId: string) =>
  api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId, internId });

describe('tutorships', () => {
  it('lets a tutor follow one intern per promotion, up to one per promotion at once', async () => {
    const tutor = await makeUser(api.dataSource, { roles: ['tutor'], upp: 'montpellier' });
    const [a2025, b2025, c2026, d2024] = await Promise.all([
      makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2025 }),
      makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2025 }),
      makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2026 }),
      makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2024 }),
    ]);
    const first = await assign(tutor.id, a2025.id).expect(201);
    expect(first.body).toMatchObject({ tutorId: tutor.id, internId: a2025.id, promotion: 2025, active: true, endedAt: null });

    const refused = await assign(tutor.id, b2025.id).expect(409);
    expect(refused.body).toMatchObject({ code: 'tutor_already_has_promotion_tutee' });
    expect(refused.body.detail).toContain('un MSU tutore au plus un interne par promotion');

    await assign(tutor.id, c2026.id).expect(201);
    await assign(tutor.id, d2024.id).expect(201);

    const token = await login(api.http, tutor.email);
    const me = await api.http.get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body.tutees.map((t: { promotion: number }) => t.promotion)).toEqual([2026, 2025, 2024]);
  });

  it('gives an intern one active tutor; after the end, another, and keeps the history', async () => {
    const [first, second] = await Promise.all([
      makeUser(api.dataSource, { roles: ['tutor'], upp: 'nimes' }),
      makeUser(api.dataSource, { roles: ['tutor'], upp: 'nimes' }),
    ]);
    const intern = await makeUser(api.dataSource, { roles: ['intern'], upp: 'nimes', promotion: 2026 });
    const started = await assign(first.id, intern.id).expect(201);
    const busy = await assign(second.id, intern.id).expect(409);
    expect(busy.body.code).toBe('intern_already_has_tutor');

    await api.http.post(`/api/tutorships/${started.body.id}/end`).set('Authorization', admin.bearer).send({}).expect(422);
    const ended = await api.http.post(`/api/tutorships/${started.body.id}/end`).set('Authorization', admin.bearer).send({ reason: 'Changement de tuteur demandé' }).expect(200);
    expect(ended.body).toMatchObject({ active: false, endReason: 'Changement de tuteur demandé', endedAt: expect.any(String) });
    await api.http.post(`/api/tutorships/${started.body.id}/end`).set('Authorization', admin.bearer).send({ reason: 'encore' }).expect(409);

    await assign(second.id, intern.id).expect(201);
    const history = await api.http.get('/api/tutorships').query({ internId: intern.id }).set('Authorization', admin.bearer).expect(200);
    expect(history.body.total).toBe(2);
    expect(history.body.items.map((t: { tutorId: string; active: boolean }) => [t.tutorId, t.active])).toEqual([
      [second.id, true],
      [first.id, false],
    ]);
    const active = await api.http.get('/api/tutorships').query({ internId: intern.id, active: 'true' }).set('Authorization', admin.bearer).expect(200);
    expect(active.body.total).toBe(1);
  });

  it('refuses roles that do not fit with 422', async () => {
    const tutor = await makeUser(api.dataSource, { roles: ['tutor'], upp: 'nimes' });
    const jury = await makeUser(api.dataSource, { roles: ['jury'], upp: 'nimes' });
    const intern = await makeUser(api.dataSource, { roles: ['intern'], upp: 'nimes' });
    await assign(jury.id, intern.id).expect(422);
    await assign(tutor.id, jury.id).expect(422);
    await assign(intern.id, tutor.id).expect(422);
    await assign(tutor.id, '00000000-0000-4000-8000-000000000000').expect(422);
  });

  it('lets exactly one of two concurrent assignments to the same tutor and promotion win', async () => {
    for (let round = 0; round < 5; round++) {
      const tutor = await makeUser(api.dataSource, { roles: ['tutor'], upp: 'beziers' });
      const interns = await Promise.all(
        Array.from({ length: 2 }, () => makeUser(api.dataSource, { roles: ['intern'], upp: 'beziers', promotion: 2025 })),
      );
      const results = await Promise.all(interns.map((intern) => assign(tutor.id, intern.id)));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    }
  });

  it('holds the rule in the database even if the service were bypassed', async () => {
    const tutor = await makeUser(api.dataSource, { roles: ['tutor'], upp: 'beziers' });
    const [a, b] = await Promise.all([
      makeUser(api.dataSource, { roles: ['intern'], upp: 'beziers', promotion: 2024 }),
      makeUser(api.dataSource, { roles: ['intern'], upp: 'beziers', promotion: 2024 }),
    ]);
    await api.dataSource.query(`INSERT INTO tutorship (tutor_id, intern_id, promotion) VALUES ($1, $2, 2024)`, [tutor.id, a.id]);
    await expect(
      api.dataSource.query(`INSERT INTO tutorship (tutor_id, intern_id, promotion) VALUES ($1, $2, 2024)`, [tutor.id, b.id]),
    ).rejects.toThrow(/tutorship_one_active_per_tutor_and_promotion/);
  });
});
