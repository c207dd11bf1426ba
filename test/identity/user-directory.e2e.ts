import { actor, Actor, makeUser, PASSWORD } from '../support/actors';
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

const signIn = (email: string) => api.http.post('/api/auth/login').send({ email, password: PASSWORD });

describe('an account closed and opened again by the DUMG', () => {
  it('cannot sign in while deactivated, can again once reactivated, each step audited', async () => {
    const tutor = await makeUser(api.dataSource, { roles: ['tutor'], lastName: 'Aubert' });
    await api.http.patch(`/api/admin/users/${tutor.id}`).set('Authorization', admin.bearer).send({ active: false }).expect(200);
    await signIn(tutor.email).expect(401);
    const listed = await api.http.get('/api/admin/users').query({ q: 'auber' }).set('Authorization', admin.bearer).expect(200);
    expect(listed.body).toMatchObject({ total: 1, page: 1, items: [{ id: tutor.id, active: false }] });

    const reopened = await api.http.patch(`/api/admin/users/${tutor.id}`).set('Authorization', admin.bearer).send({ active: true }).expect(200);
    expect(reopened.body).toMatchObject({ id: tutor.id, active: true, roles: ['tutor'] });
    await signIn(tutor.email).expect(200);

    const audited = await api.dataSource.query(
      `SELECT details->'after'->>'active' AS active FROM audit_log WHERE action = 'user.updated' AND actor_id = $1 AND subject_id = $2 ORDER BY occurred_at, id`,
      [admin.user.id, tutor.id],
    );
    expect(audited.map((row: { active: string }) => row.active)).toEqual(['false', 'true']);
  });
});
