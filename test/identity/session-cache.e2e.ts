import { Client } from 'pg';
import { SessionCache } from '../../apps/api/src/auth/session-cache';
import { login, makeUser } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

// An API process remembers the sessions it looked up (SESSION_CACHE_SECONDS, 60 by default);
// what another process commits — a second replica, the worker, an operator's SQL — must still
// end a session here at once. `elsewhere` is that other process's connection.
let api: TestApp;
let elsewhere: Client;
beforeAll(async () => {
  api = await startTestApp();
  elsewhere = new Client({ connectionString: api.database.url });
  await elsewhere.connect();
});
afterAll(async () => {
  await elsewhere.end();
  await api.close();
});

const cacheOn = async () => {
  const cache = api.app.get(SessionCache);
  for (let i = 0; i < 100 && !cache.on; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(cache.on).toBe(true);
};

/** The status `path` answers once it answers `expected`, or the last one after 3 s. */
async function settlesOn(token: string, path: string, expected: number): Promise<number> {
  let status = 0;
  for (const deadline = Date.now() + 3000; status !== expected && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 25))) {
    status = (await api.http.get(path).set('Authorization', `Bearer ${token}`)).status;
  }
  return status;
}

/** Sessions found in memory or in the database so far, as the API's metrics count them. */
async function lookups(source: 'memory' | 'database'): Promise<number> {
  const text = (await api.http.get('/metrics').expect(200)).text;
  return Number(text.match(new RegExp(`^carnet_session_lookups_total\\{source="${source}"[^}]*\\} (\\d+)`, 'm'))?.[1] ?? 0);
}

/** A user signed in whose session the API remembers: their second request is served from memory. */
async function signedIn(roles: ('intern' | 'admin')[]) {
  const user = await makeUser(api.dataSource, { roles, upp: 'montpellier' });
  const token = await login(api.http, user.email);
  const before = { memory: await lookups('memory'), database: await lookups('database') };
  for (let i = 0; i < 2; i++) await api.http.get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
  expect({ memory: await lookups('memory'), database: await lookups('database') }).toEqual({ memory: before.memory + 1, database: before.database + 1 });
  return { user, token };
}

describe('sessions remembered by an API process', () => {
  beforeAll(cacheOn);

  it('serves a signed-in user’s requests from memory, and says so in its metrics', async () => {
    await signedIn(['intern']);
    expect((await api.http.get('/metrics')).text).toMatch(/^carnet_session_cache_on\{[^}]*\} 1$/m);
  });

  it('ends a session revoked by another process', async () => {
    const { user, token } = await signedIn(['intern']);
    await elsewhere.query(`UPDATE session SET revoked_at = now() WHERE user_id = $1`, [user.id]);
    expect(await settlesOn(token, '/api/me', 401)).toBe(401);
  });

  it('ends the sessions of a user deactivated by another process', async () => {
    const { user, token } = await signedIn(['intern']);
    await elsewhere.query(`UPDATE app_user SET active = false WHERE id = $1`, [user.id]);
    expect(await settlesOn(token, '/api/me', 401)).toBe(401);
  });

  it('applies roles withdrawn by another process to the next requests', async () => {
    const { user, token } = await signedIn(['admin']);
    await api.http.get('/api/admin/users').set('Authorization', `Bearer ${token}`).expect(200);
    await elsewhere.query(`UPDATE app_user SET roles = '{tutor}' WHERE id = $1`, [user.id]);
    expect(await settlesOn(token, '/api/admin/users', 403)).toBe(403);
  });

  it('applies a role changed through the API at once, on the next request', async () => {
    const admin = await signedIn(['admin']);
    const { user, token } = await signedIn(['admin']);
    await api.http.get('/api/admin/users').set('Authorization', `Bearer ${token}`).expect(200);
    await api.http.patch(`/api/admin/users/${user.id}`).set('Authorization', `Bearer ${admin.token}`).send({ roles: ['tutor'] }).expect(200);
    await api.http.get('/api/admin/users').set('Authorization', `Bearer ${token}`).expect(403);
  });

  it('trusts nothing it remembers while its channel to the database is down, and takes it up again', async () => {
    const first = await signedIn(['intern']);
    // The listening connection is cut, and a revocation is committed before it is back: no
    // notification will ever tell this process.
    await elsewhere.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'carnet-session-cache' AND datname = current_database()`);
    await elsewhere.query(`UPDATE session SET revoked_at = now() WHERE user_id = $1`, [first.user.id]);
    expect(await settlesOn(first.token, '/api/me', 401)).toBe(401);

    await cacheOn(); // reconnected (after a second): what it held before the cut is gone
    await api.http.get('/api/me').set('Authorization', `Bearer ${first.token}`).expect(401);
    const second = await signedIn(['intern']);
    await elsewhere.query(`UPDATE session SET revoked_at = now() WHERE user_id = $1`, [second.user.id]);
    expect(await settlesOn(second.token, '/api/me', 401)).toBe(401);
  });

  it('does not remember a lookup begun while its channel was down, once the channel is back', async () => {
    const cache = api.app.get(SessionCache);
    await elsewhere.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'carnet-session-cache' AND datname = current_database()`);
    for (let i = 0; i < 100 && cache.on; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cache.on).toBe(false);
    // A lookup starts now: whatever it reads may predate a revocation no notification announced.
    const mark = cache.mark;
    await cacheOn();
    const session = { sessionId: 's', userId: 'u', roles: ['intern' as const], facultyId: null, csrfToken: 'c', expiresAt: new Date(Date.now() + 3600_000) };
    cache.remember('looked up while the channel was down', session, mark);
    expect(cache.get('looked up while the channel was down')).toBeUndefined();
    cache.remember('looked up since', session, cache.mark);
    expect(cache.get('looked up since')).toEqual(session);
  });
});
