import { hashToken, newToken } from '../../apps/api/src/auth/tokens';
import { makeUser } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

/** Choosing a password from an invitation signs you in: the answer carries a new session's cookie, once. */
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(async () => {
  await api.close();
});

async function invitationFor(userId: string): Promise<string> {
  const token = newToken();
  await api.dataSource.query(
    `INSERT INTO one_time_token (id, user_id, purpose, token_hash, expires_at) VALUES (gen_random_uuid(), $1, 'invitation', $2, now() + interval '1 day')`,
    [userId, hashToken(token)],
  );
  return token;
}

const sessionCookie = (headers: Record<string, unknown>) => ([] as string[]).concat((headers['set-cookie'] as string[] | undefined) ?? []).find((c) => c.startsWith('session='));

describe('choosing a password from an invitation', () => {
  it('answers with the cookie of a new session, which reads /api/me; the used link signs nobody in again', async () => {
    const user = await makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier', firstName: 'Éloïse' });
    const token = await invitationFor(user.id);
    const chosen = await api.http.post('/api/auth/password').send({ token, password: 'une phrase de passe assez longue' }).expect(204);
    const cookie = sessionCookie(chosen.headers);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const me = await api.http.get('/api/me').set('Cookie', cookie!.split(';')[0]).expect(200);
    expect(me.body).toMatchObject({ id: user.id, email: user.email });
    expect(me.body.csrfToken).toEqual(expect.any(String));

    const again = await api.http.post('/api/auth/password').send({ token, password: 'une autre phrase de passe solide' }).expect(400);
    expect(sessionCookie(again.headers)).toBeUndefined();
  });

  it('opens no session for a deactivated account', async () => {
    const user = await makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier' });
    const token = await invitationFor(user.id);
    await api.dataSource.query(`UPDATE app_user SET active = false WHERE id = $1`, [user.id]);
    const chosen = await api.http.post('/api/auth/password').send({ token, password: 'une phrase de passe assez longue' }).expect(204);
    expect(sessionCookie(chosen.headers)).toBeUndefined();
  });
});
