import { randomUUID } from 'node:crypto';
import type { Test } from 'supertest';
import { FACULTY_TABLES, Tenancy } from '@carnet/database';
import { Actor, actor, login, makeUser, PASSWORD } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Two faculties in one deployment. Faculty B's people write a portfolio (a trace submitted and
 * commented, an attachment, an export, a stage, a tutor meeting, a jury session); then every
 * read of the API's route table (the OpenAPI document) is walked by faculty A's people of every
 * role, and by the national operator, with B's identifiers in every path parameter: no answer
 * may carry anything of B's. Then row-level security alone, with no application filter at all
 * (statements with no WHERE), is shown to refuse B's rows to A's scope on every sealed table.
 */
let api: TestApp;
let facultyA: string;
let facultyB: string;
const a: Record<'admin' | 'tutor' | 'intern' | 'jury', Actor> = {} as never;
let operator: string;
/** B's identifiers, by kind, and text only B's data holds. */
const bIds: Record<string, string> = {};
const B_SECRET = 'Zéphyrine-Secret-B';
let bAdmin: string;

const as = (token: string, test: Test) => test.set('Authorization', `Bearer ${token}`);

beforeAll(async () => {
  api = await startTestApp({ CARNET_OPERATOR_EMAIL: 'operateur@carnet.test', CARNET_OPERATOR_PASSWORD: PASSWORD });
  [{ id: facultyA }] = await api.dataSource.query(`SELECT id FROM faculty`);
  a.admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  a.tutor = await actor(api.http, api.dataSource, { roles: ['tutor'] });
  a.intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier' });
  a.jury = await actor(api.http, api.dataSource, { roles: ['jury'] });
  operator = await login(api.http, 'operateur@carnet.test');

  const created = await as(operator, api.http.post('/api/operator/faculties')).send({
    code: 'faculte-b',
    name: 'DUMG B',
    admin: { email: 'admin.b@faculte-b.test', firstName: 'Anatole', lastName: 'Admin-B' },
  });
  expect(created.status).toBe(201);
  facultyB = created.body.id;
  bIds.faculty = facultyB;
  const make = (roles: ('intern' | 'tutor' | 'jury' | 'admin')[], extra: object = {}) =>
    makeUser(api.dataSource, { roles, facultyId: facultyB, lastName: `${B_SECRET}-${roles[0]}`, email: `${roles[0]}.${randomUUID().slice(0, 6)}@faculte-b.test`, ...extra });
  const [admin, tutor, intern, jury] = [await make(['admin']), await make(['tutor']), await make(['intern'], { upp: 'upp-b' }), await make(['jury'])];
  Object.assign(bIds, { admin: admin.id, tutor: tutor.id, intern: intern.id, jury: jury.id });
  bAdmin = await login(api.http, admin.email);
  const bTutor = await login(api.http, tutor.email);
  const bIntern = await login(api.http, intern.email);

  bIds.tutorship = (await as(bAdmin, api.http.post('/api/tutorships')).send({ tutorId: tutor.id, internId: intern.id }).expect(201)).body.id;
  const content = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `${B_SECRET} : une consultation` }] }] };
  const trace = await as(bIntern, api.http.post('/api/traces')).send({ kind: 'rsca', title: `${B_SECRET} RSCA`, content, competences: ['relation'], familles: [] });
  expect(trace.status).toBe(201);
  bIds.trace = trace.body.id;
  await as(bIntern, api.http.post(`/api/traces/${bIds.trace}/submit`)).send({}).expect(200);
  bIds.comment = (await as(bTutor, api.http.post(`/api/traces/${bIds.trace}/comments`)).send({ body: `${B_SECRET} commentaire` }).expect(201)).body.id;
  bIds.export = (await as(bIntern, api.http.post(`/api/portfolios/${intern.id}/exports`)).send({ format: 'zip', scope: 'all' })).body.id;
  bIds.stage = (
    await as(bAdmin, api.http.post('/api/stages')).send({
      internId: intern.id,
      kind: 'urgences',
      semester: 1,
      place: `${B_SECRET} CHU`,
      startsOn: '2026-11-02',
      endsOn: '2027-05-02',
      supervisors: [{ tutorId: tutor.id, referent: true, halfDaysPerWeek: 8 }],
    })
  ).body.id;
  const day = new Date(Date.now() - 86400_000).toISOString().slice(0, 10);
  bIds.meeting = (await as(bTutor, api.http.post(`/api/portfolios/${intern.id}/meetings`)).send({ heldOn: day, discussed: `${B_SECRET} rencontre`, nextObjectives: 'suite' })).body.id;
  bIds.jurySession = (
    await as(bAdmin, api.http.post('/api/jury-sessions')).send({
      title: `${B_SECRET} commission`,
      phase: 'socle',
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 86400_000).toISOString(),
      memberIds: [jury.id],
      internIds: [intern.id],
    })
  ).body.id;
  for (const [kind, id] of Object.entries(bIds)) if (!id) throw new Error(`faculty B's ${kind} was not made`);
});

afterAll(async () => {
  await api.close();
});

interface Route {
  path: string;
  access?: { kind: string };
}

async function reads(): Promise<Route[]> {
  const document = (await api.http.get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, { 'x-access'?: { kind: string } }>> };
  return Object.entries(document.paths).flatMap(([path, operations]) => (operations.get ? [{ path, access: operations.get['x-access'] }] : []));
}

/** Every way to fill a route's parameters with B's identifiers (each parameter, every kind). */
function pathsOf(route: Route): string[] {
  const params = route.path.match(/\{[^}]+\}/g) ?? [];
  let paths = [route.path];
  for (const param of params) {
    paths = paths.flatMap((path) => (/\{n\}|\{number\}/.test(param) ? [path.replace(param, '1')] : Object.values(bIds).map((id) => path.replace(param, id))));
  }
  return paths;
}

/** What of B's an answer gives away: its secret text, its people's addresses, its rows' ids not asked for. */
function leaks(path: string, body: string): string[] {
  const found: string[] = [];
  if (body.includes(B_SECRET)) found.push('B’s text');
  if (body.includes('@faculte-b.test')) found.push('a B e-mail');
  for (const [kind, id] of Object.entries(bIds)) if (kind !== 'faculty' && body.includes(id) && !path.includes(id)) found.push(`B’s ${kind} id`);
  return found;
}

async function walk(token: string): Promise<{ path: string; status: number; leaks: string[] }[]> {
  const found: { path: string; status: number; leaks: string[] }[] = [];
  for (const route of (await reads()).filter((r) => r.access?.kind !== 'public')) {
    for (const path of pathsOf(route)) {
      const response = await as(token, api.http.get(path));
      const given = leaks(path, typeof response.text === 'string' ? response.text : '');
      // Any answer but a refusal to a path naming one of B's rows gives it away (a file has no text to search).
      const askedForB = Object.entries(bIds).some(([kind, id]) => kind !== 'faculty' && path.includes(id));
      if (askedForB && response.status < 400) given.push(`answered ${response.status}`);
      if (given.length) found.push({ path, status: response.status, leaks: given });
    }
  }
  return found;
}

describe('faculties sealed from each other', () => {
  it('makes B’s data findable by B itself (the walk can see a leak)', async () => {
    const own = await walk(bAdmin);
    expect(own.length).toBeGreaterThan(3);
  });

  it.each(['admin', 'tutor', 'intern', 'jury'] as const)('gives faculty A’s %s nothing of B’s, on every read of the API', async (role) => {
    expect(await walk(a[role].token)).toEqual([]);
  });

  it('gives the national operator counts, never a faculty’s content', async () => {
    expect(await walk(operator)).toEqual([]);
    const faculties = (await as(operator, api.http.get('/api/operator/faculties')).expect(200)).body as { id: string; counts: { interns: number; traces: number } }[];
    expect(faculties.find((f) => f.id === facultyB)?.counts).toMatchObject({ interns: 1, traces: 1 });
  });

  it('lets the national operator, in no faculty, read their own account and sign out (audited in the national log only)', async () => {
    const me = (await as(operator, api.http.get('/api/me')).expect(200)).body;
    expect(me).toMatchObject({ roles: ['operator'], faculty: null, faculties: [] });
    const token = await login(api.http, 'operateur@carnet.test');
    await as(token, api.http.post('/api/auth/logout')).expect(204);
    await as(token, api.http.get('/api/me')).expect(401);
    const entries = await api.dataSource.query(`SELECT faculty_id FROM audit_log WHERE action = 'auth.logout' AND actor_id = $1`, [me.id]);
    expect(entries).toEqual([{ faculty_id: null }]);
    const seenByA = await Tenancy.run({ facultyId: facultyA }, () => api.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE actor_id = $1`, [me.id]));
    expect(seenByA).toEqual([{ n: 0 }]);
  });

  it('keeps each faculty’s university sign-in settings its own: B’s admin reads and saves B’s, A’s admin never sees them', async () => {
    const mine = await as(bAdmin, api.http.get('/api/admin/university-sign-in')).expect(200);
    expect(mine.body.faculty).toEqual({ code: 'faculte-b', name: 'DUMG B' });
    await as(bAdmin, api.http.put('/api/admin/university-sign-in'))
      .send({ protocol: 'cas', enabled: true, casUrl: 'https://cas.faculte-b.test/cas', emailAttribute: 'mail', subjectAttribute: 'user', buttonLabel: 'ENT de B', internPasswordsAllowed: true })
      .expect(200);
    const theirs = await as(a.admin.token, api.http.get('/api/admin/university-sign-in')).expect(200);
    expect(theirs.body).toMatchObject({ faculty: { code: 'dumg' }, configured: false, casUrl: null });
  });

  it('saves nothing of B’s through the autosave, the one write that runs outside the scope (its WHERE names the caller’s own trace in the caller’s faculty)', async () => {
    const [before] = await api.dataSource.query(`SELECT version, title, content::text AS content FROM trace WHERE id = $1`, [bIds.trace]);
    for (const who of Object.values(a)) {
      const body = { title: 'Réécrit par A', content: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'A' }] }] } };
      const res = await api.http.patch(`/api/traces/${bIds.trace}`).set('Authorization', who.bearer).set('If-Match', `"${before.version}"`).send(body);
      expect([403, 404]).toContain(res.status);
      const delta = { title: 'Réécrit par A', contentDelta: { blocks: 1, from: 0, to: 0, insert: [{ type: 'paragraph' }] } };
      const byDelta = await api.http.patch(`/api/traces/${bIds.trace}`).set('Authorization', who.bearer).set('If-Match', `"${before.version}"`).send(delta);
      expect([403, 404]).toContain(byDelta.status);
    }
    expect(await api.dataSource.query(`SELECT version, title, content::text AS content FROM trace WHERE id = $1`, [bIds.trace])).toEqual([before]);
  });

  it('refuses B’s data to A by row-level security alone: no WHERE at all, on every sealed table', async () => {
    const seenBySystem: Record<string, number> = {};
    const seenByA: Record<string, number> = {};
    for (const table of FACULTY_TABLES) {
      [{ n: seenBySystem[table] }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE faculty_id = $1`, [facultyB]);
      [{ n: seenByA[table] }] = await Tenancy.run({ facultyId: facultyA }, () => api.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE faculty_id IS DISTINCT FROM $1`, [facultyA]));
    }
    // B holds rows in the tables its portfolio touched, and A's scope sees none of any table's.
    expect(Object.entries(seenBySystem).filter(([, n]) => n > 0).map(([t]) => t)).toEqual(expect.arrayContaining(['app_user', 'trace', 'trace_comment', 'tutorship', 'stage', 'tutor_meeting', 'jury_session', 'audit_log', 'trace_tally']));
    expect(Object.values(seenByA).every((n) => n === 0)).toBe(true);

    await Tenancy.run({ facultyId: facultyA }, async () => {
      // Nor can A's scope change B's rows, or write a row into B.
      const [, updated] = await api.dataSource.query(`UPDATE trace SET title = 'pris' WHERE id = $1`, [bIds.trace]);
      expect(updated).toBe(0);
      const [, deleted] = await api.dataSource.query(`DELETE FROM trace_comment WHERE id = $1`, [bIds.comment]);
      expect(deleted).toBe(0);
      await expect(api.dataSource.query(`UPDATE upp SET faculty_id = $1 WHERE faculty_id = $2`, [facultyB, facultyA])).rejects.toThrow(/row-level security/);
      await expect(
        api.dataSource.query(`INSERT INTO upp (code, name, faculty_id) VALUES ('intrus', 'Intrus', $1)`, [facultyB]),
      ).rejects.toThrow(/row-level security/);
      expect(await api.dataSource.query(`SELECT current_user AS role`)).toEqual([{ role: 'carnet_app' }]);
    });
    // The national operator's scope (no faculty) sees no row of either.
    const [{ n }] = await Tenancy.run({ facultyId: null }, () => api.dataSource.query(`SELECT count(*)::int AS n FROM trace`));
    expect(n).toBe(0);
    const [{ title }] = await api.dataSource.query(`SELECT title FROM trace WHERE id = $1`, [bIds.trace]);
    expect(title).toContain(B_SECRET);
  });
});
