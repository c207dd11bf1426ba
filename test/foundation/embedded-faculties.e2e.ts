import { canonicalJson, sha256Hex } from '@carnet/editor';
import { until } from '../support/processes';
import { EMBEDDED_ADMIN, EmbeddedRun, startEmbeddedRun } from '../support/embedded-run';

/**
 * Two faculties on the embedded run (`npm start`: PGlite, one session shared by every connection,
 * transactions served one at a time), through the API only: a portfolio transferred from A to B
 * (two accepts sent together), sign-in throttling (advisory locks) under concurrent guesses, and a
 * ZIP export of A's built by the embedded worker, signed with the key the launcher made, imported
 * by B's admin. These were tested on a PostgreSQL server only; on PGlite a statement sent on
 * another connection while a transaction is open waits for that transaction, which waits for it:
 * every call here has a deadline, so a hang fails the test by name instead of timing out the suite.
 */
const PASSWORD = 'Glycémie capillaire à jeun 2026';
const OPERATOR = { email: 'operateur@carnet.test', password: 'Un-mot-de-passe-d-operateur-2026' };
/** Long for one call on a shared 2-core machine, short beside a hang. */
const CALL_MS = 15_000;

let run: EmbeddedRun;

interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
  ms: number;
}

/** One call to the API with a deadline: a call that does not answer in `timeoutMs` fails, naming itself. */
async function api<T = any>(method: string, path: string, token: string | null, body?: unknown, timeoutMs = CALL_MS): Promise<Answer<T>> {
  const started = Date.now();
  const form = body instanceof FormData;
  const response = await fetch(`${run.base}/api${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined || form ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : form ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((error: Error) => {
    throw new Error(`${method} ${path}: no answer within ${timeoutMs} ms (${error.name}: ${error.message}); the product printed:\n${run.output().slice(-3000)}`);
  });
  const type = response.headers.get('content-type') ?? '';
  const raw = Buffer.from(await response.arrayBuffer());
  const parsed = type.includes('json') ? (raw.length ? JSON.parse(raw.toString('utf8')) : null) : raw;
  return { status: response.status, body: parsed as T, headers: response.headers, ms: Date.now() - started };
}

/** `api`, expecting `status`; the answer's body otherwise in the failure. */
async function expectStatus<T = any>(status: number, method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const answer = await api<T>(method, path, token, body);
  if (answer.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const login = async (email: string, password = PASSWORD) => (await expectStatus<{ accessToken: string }>(200, 'POST', '/auth/login', null, { email, password })).accessToken;
const content = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

const a = {} as { name: string; admin: string; tutor: { id: string; token: string }; intern: { id: string; token: string; email: string }; mover: { id: string; token: string; email: string } };
const b = {} as { id: string; admin: string; tutor: { id: string; token: string; email: string }; intern: string; mover: string };
let operator: string;
/** A validated trace of `a.intern` (moved by the transfer) and one of `a.mover` (exported, then imported). */
let transferred: { id: string; sha256: string; validatedAt: string };
let exported: { id: string; sha256: string; title: string };

beforeAll(async () => {
  run = await startEmbeddedRun({ env: { CARNET_OPERATOR_EMAIL: OPERATOR.email, CARNET_OPERATOR_PASSWORD: OPERATOR.password } });
}, 120_000);

afterAll(async () => {
  await run?.close();
});

/** A user made by `admin` in their faculty; with a password, signed in. */
async function makeUser(admin: string, email: string, roles: string[], upp: string, password?: string, promotion = 2025): Promise<{ id: string; token: string; email: string }> {
  const body = { email, lastName: roles[0] === 'intern' ? 'Mobile' : 'Martin', firstName: roles[0] === 'tutor' ? 'Amélie' : 'Inès', roles, upp, ...(roles.includes('intern') ? { promotion } : {}), ...(password ? { password } : {}) };
  const { id } = await expectStatus<{ id: string }>(201, 'POST', '/admin/users', admin, body);
  return { id, email, token: password ? await login(email, password) : '' };
}

/** A trace written by `intern`, submitted, validated by `tutor`: its stamp. */
async function validatedTrace(intern: string, tutor: string, title: string): Promise<{ id: string; sha256: string; validatedAt: string; title: string }> {
  const { id } = await expectStatus<{ id: string }>(201, 'POST', '/traces', intern, { kind: 'rsca', title, content: content(`${title} : une consultation au cabinet.`), competences: ['premier_recours'], familles: ['aigu'] });
  await expectStatus(200, 'POST', `/traces/${id}/submit`, intern);
  const stamp = await expectStatus<{ validatedSha256: string; validatedAt: string }>(200, 'POST', `/traces/${id}/validate`, tutor, {});
  expect(stamp.validatedSha256).toMatch(/^[0-9a-f]{64}$/);
  return { id, sha256: stamp.validatedSha256, validatedAt: stamp.validatedAt, title };
}

describe('two faculties on the embedded database', () => {
  it('the operator opens a second faculty with its admin; each faculty has its people', async () => {
    operator = await login(OPERATOR.email, OPERATOR.password);
    a.admin = await login(EMBEDDED_ADMIN.email, EMBEDDED_ADMIN.password);
    await expectStatus(201, 'POST', '/operator/faculties', operator, { code: 'faculte-b', name: 'DUMG B', admin: { email: 'admin@faculte-b.test', firstName: 'Bastien', lastName: 'Admin' } });
    // B's admin chooses a password from the invitation mailed, then signs in.
    const invitation = await run.smtp!.waitFor((mail) => mail.to.includes('admin@faculte-b.test'));
    const token = decodeURIComponent(invitation.text.match(/jeton=([^\s&"<>\])]+)/)![1]);
    await expectStatus(204, 'POST', '/auth/password', null, { token, password: PASSWORD });
    b.admin = await login('admin@faculte-b.test');

    const faculties = await expectStatus<{ id: string; code: string; name: string; counts: { admins: number } }[]>(200, 'GET', '/operator/faculties', operator);
    expect(faculties).toHaveLength(2);
    expect(faculties.map((f) => f.counts.admins)).toEqual([1, 1]);
    const facultyB = faculties.find((f) => f.code === 'faculte-b')!;
    b.id = facultyB.id;
    a.name = faculties.find((f) => f.code !== 'faculte-b')!.name;

    // Faculty A: a tutor, an intern with a validated trace (to be transferred), another (to be exported).
    await expectStatus(201, 'POST', '/admin/upps', a.admin, { code: 'montpellier', name: 'Montpellier-Nîmes' });
    a.tutor = await makeUser(a.admin, 'msu@faculte-a.test', ['tutor'], 'montpellier', PASSWORD);
    a.intern = await makeUser(a.admin, 'ines.mobile@univ.test', ['intern'], 'montpellier', PASSWORD);
    // Of another promotion: an MSU tutors one intern per promotion.
    a.mover = await makeUser(a.admin, 'eloise.exportee@univ.test', ['intern'], 'montpellier', PASSWORD, 2024);
    for (const intern of [a.intern, a.mover]) await expectStatus(201, 'POST', '/tutorships', a.admin, { tutorId: a.tutor.id, internId: intern.id });
    transferred = await validatedTrace(a.intern.token, a.tutor.token, 'RSCA transféré');
    exported = await validatedTrace(a.mover.token, a.tutor.token, 'RSCA exporté');

    // Faculty B: its tutor, and its rows of the same two people (no password: they keep theirs).
    await expectStatus(201, 'POST', '/admin/upps', b.admin, { code: 'toulouse', name: 'Toulouse' });
    b.tutor = await makeUser(b.admin, 'msu@faculte-b.test', ['tutor'], 'toulouse', PASSWORD);
    b.intern = (await makeUser(b.admin, a.intern.email, ['intern'], 'toulouse')).id;
    b.mover = (await makeUser(b.admin, a.mover.email, ['intern'], 'toulouse', undefined, 2024)).id;
    expect(b.intern).not.toBe(a.intern.id);
  }, 180_000);

  it('moves the portfolio to B once, of two accepts sent together (one 200, one 409, neither hanging)', async () => {
    const released = await expectStatus<{ id: string; status: string }>(201, 'POST', '/admin/portfolio-transfers', a.admin, { internId: a.intern.id, toFacultyCode: 'faculte-b' });
    expect(released.status).toBe('pending');
    const answers = await Promise.all([0, 1].map(() => api('POST', `/admin/portfolio-transfers/${released.id}/accept`, b.admin, {})));
    console.log(`two concurrent accepts on PGlite: ${answers.map((r) => `${r.status} in ${r.ms} ms`).join(', ')}`);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(answers.find((r) => r.status === 200)!.body).toMatchObject({ status: 'accepted', toInternId: b.intern, counts: { traces: 1, validatedTraces: 1 } });
    expect(answers.find((r) => r.status === 409)!.body.detail).toMatch(/déjà été accepté/);

    // B's tutor, once assigned, reads the trace with its stamp; A's tutor no longer does.
    await expectStatus(404, 'GET', `/traces/${transferred.id}`, b.tutor.token);
    await expectStatus(201, 'POST', '/tutorships', b.admin, { tutorId: b.tutor.id, internId: b.intern });
    const read = await expectStatus(200, 'GET', `/traces/${transferred.id}`, b.tutor.token);
    expect(read).toMatchObject({ status: 'validated', validatedBy: a.tutor.id, validatedAt: transferred.validatedAt, validatedSha256: transferred.sha256, origin: { facultyName: a.name } });
    expect(sha256Hex(canonicalJson(read.content))).toBe(transferred.sha256);
    await expectStatus(404, 'GET', `/traces/${transferred.id}`, a.tutor.token);
    // A's row of the intern is closed: its session too.
    await expectStatus(401, 'GET', '/me', a.intern.token);
  }, 120_000);

  it('throttles concurrent wrong passwords with its advisory locks: at most 5 checked, then even the right one waits; sign-in and sign-out still work', async () => {
    const jury = await makeUser(a.admin, 'jury@faculte-a.test', ['jury'], 'montpellier', PASSWORD);
    // Signed in once from here: the account's attempts from this address are counted apart (and still 5).
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => api('POST', '/auth/login', null, { email: jury.email, password: `faux mot de passe ${i}` })));
    const statuses = answers.map((r) => r.status);
    console.log(`six concurrent wrong passwords on PGlite: ${answers.map((r) => `${r.status} in ${r.ms} ms`).join(', ')}`);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 401 || s === 429)).toHaveLength(6);
    expect(statuses).toContain(429);
    expect(answers.find((r) => r.status === 429)!.headers.get('retry-after')).toBe('900');
    // The right password from the same address: that counter is spent for the window.
    const right = await api('POST', '/auth/login', null, { email: jury.email, password: PASSWORD });
    expect(right.status).toBe(statuses.filter((s) => s === 401).length === 5 ? 429 : 200);
    // Nothing held: another account signs in at once, its session works.
    const other = await login(b.tutor.email);
    await expectStatus(200, 'GET', '/me', other);
    // And signs out (the sessions' logout columns read on this database too): that token is done.
    await expectStatus(204, 'POST', '/auth/logout', other);
    await expectStatus(401, 'GET', '/me', other);
  }, 120_000);

  it('imports into B a signed ZIP export of A’s, built by the embedded worker', async () => {
    const key = await expectStatus<{ fingerprint: string | null }>(200, 'GET', '/deployment-key', null);
    // The launcher made CARNET_SECRET_KEY in DATA_DIR: the deployment signs its exports.
    expect(key.fingerprint).toMatch(/^[0-9a-f]{64}$/);

    const asked = await expectStatus<{ id: string }>(202, 'POST', `/portfolios/${a.mover.id}/exports`, a.mover.token, { format: 'zip', scope: 'validated' });
    const done = await until(
      'the ZIP export',
      async () => {
        const { body } = await api('GET', `/exports/${asked.id}`, a.mover.token);
        return body.status === 'completed' || body.status === 'failed' ? body : undefined;
      },
      60_000,
      250,
    );
    expect(done).toMatchObject({ status: 'completed' });
    const zip = await api<Buffer>('GET', `/exports/${asked.id}/download`, a.mover.token);
    expect(zip.status).toBe(200);
    expect(zip.body.subarray(0, 2).toString()).toBe('PK');

    const form = () => {
      const data = new FormData();
      data.append('file', new Blob([new Uint8Array(zip.body)], { type: 'application/zip' }), 'portfolio.zip');
      return data;
    };
    const preview = await api('POST', '/admin/portfolio-imports?dryRun=true', b.admin, form());
    expect([preview.status, preview.body.detail]).toEqual([200, undefined]);
    expect(preview.body).toMatchObject({
      dryRun: true,
      id: null,
      origin: { faculty: { name: a.name } },
      signature: { signed: true, fingerprint: key.fingerprint },
      intern: { id: b.mover, email: a.mover.email },
      internMatches: true,
      counts: { imported: 1, alreadyImported: 0 },
    });
    expect(preview.body.traces).toEqual([expect.objectContaining({ originId: exported.id, sha256: exported.sha256, alreadyImported: false })]);

    const imported = await api('POST', `/admin/portfolio-imports?keyFingerprint=${key.fingerprint}`, b.admin, form());
    expect([imported.status, imported.body.detail]).toEqual([200, undefined]);
    expect(imported.body).toMatchObject({ dryRun: false, id: expect.any(String), counts: { imported: 1, alreadyImported: 0 } });
    // Again: nothing more.
    const again = await api('POST', `/admin/portfolio-imports?keyFingerprint=${key.fingerprint}`, b.admin, form());
    expect([again.status, again.body.counts]).toEqual([200, expect.objectContaining({ imported: 0, alreadyImported: 1 })]);

    // B's tutor of the intern reads it, « validé à » A, stamp intact.
    await expectStatus(201, 'POST', '/tutorships', b.admin, { tutorId: b.tutor.id, internId: b.mover });
    const list = await expectStatus<{ items: { id: string; title: string }[] }>(200, 'GET', `/traces?internId=${b.mover}`, b.tutor.token);
    expect(list.items.map((t) => t.title)).toEqual([exported.title]);
    const trace = await expectStatus(200, 'GET', `/traces/${list.items[0].id}`, b.tutor.token);
    expect(trace).toMatchObject({ status: 'validated', validatedSha256: exported.sha256, importedFrom: { faculty: a.name, signed: true, sha256: exported.sha256 } });
    expect(sha256Hex(canonicalJson(trace.content))).toBe(exported.sha256);
  }, 150_000);
});
