import fs from 'node:fs';
import path from 'node:path';
import { RetentionProcessor } from '../../apps/worker/src/retention/retention.processor';
import { actor, Actor, login } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const paragraph = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 'z')]);

let api: TestApp;
let admin: Actor;
let intern: Actor;
let tutor: Actor;

beforeAll(async () => {
  api = await startTestApp({ PORTFOLIO_RETENTION_YEARS: '10' }, { worker: true });
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes', promotion: 2025, firstName: 'Inès', lastName: 'Benoît' });
  tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'nimes' });
  await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);
});
afterAll(async () => {
  await api.close();
});

async function validatedTrace(title: string) {
  const created = await api.http.post('/api/traces').set('Authorization', intern.bearer).send({ kind: 'trace', title, competences: ['relation'], familles: ['social'], content: paragraph('Récit.') }).expect(201);
  await api.http.post(`/api/traces/${created.body.id}/attachments`).set('Authorization', intern.bearer).attach('file', PDF, 'piece.pdf').expect(201);
  await api.http.post(`/api/traces/${created.body.id}/submit`).set('Authorization', intern.bearer).expect(200);
  await api.http.post(`/api/traces/${created.body.id}/validate`).set('Authorization', tutor.bearer).send({}).expect(200);
  return created.body.id as string;
}

describe('the right of access', () => {
  it('gives a user all their data as a JSON file, and audits it', async () => {
    const id = await validatedTrace('Ma trace');
    const draft = await api.http.post('/api/traces').set('Authorization', intern.bearer).send({ kind: 'trace', title: 'Un brouillon', competences: ['relation'], familles: ['social'], content: paragraph('Début.') }).expect(201);
    await api.http.patch(`/api/traces/${draft.body.id}`).set('Authorization', intern.bearer).set('If-Match', '"1"').send({ content: paragraph('Début, suite.') }).expect(200);
    const response = await api.http.get('/api/me/data').set('Authorization', intern.bearer).expect(200);
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="carnet-mes-donnees-/);
    expect(response.body.profile).toMatchObject({ email: intern.email, first_name: 'Inès', last_name: 'Benoît', upp: 'nimes', promotion: 2025 });
    expect(response.body.traces.map((t: { id: string }) => t.id)).toContain(id);
    // The exact time of the last autosave too (the lists' `updated_at` moves once a minute while typing).
    expect(response.body.traces.find((t: { id: string }) => t.id === draft.body.id).saved_at).toEqual(expect.any(String));
    expect(response.body.revisions.length).toBeGreaterThan(0);
    expect(response.body.attachments[0]).toMatchObject({ filename: 'piece.pdf', size: PDF.length });
    expect(response.body.activity.some((a: { action: string }) => a.action === 'auth.login')).toBe(true);
    const audit = await api.http.get('/api/admin/audit').query({ action: 'privacy.data_exported', actorId: intern.user.id }).set('Authorization', admin.bearer).expect(200);
    expect(audit.body.total).toBe(1);
  });
});

describe('anonymisation and retention', () => {
  it('anonymises a user who has left, keeps validated work, and purges it after the retention period', async () => {
    const kept = await validatedTrace('Trace validée à garder');
    const draft = await api.http.post('/api/traces').set('Authorization', intern.bearer).send({ kind: 'trace', title: 'Notes de travail', competences: [], familles: [] }).expect(201);
    await api.http.post(`/api/traces/${draft.body.id}/attachments`).set('Authorization', intern.bearer).attach('file', PDF, 'brouillon.pdf').expect(201);
    const [draftFile] = await api.dataSource.query(`SELECT storage_key FROM attachment WHERE trace_id = $1`, [draft.body.id]);

    await api.http.post(`/api/admin/users/${intern.user.id}/anonymise`).set('Authorization', tutor.bearer).send({ reason: 'x' }).expect(403);
    const anonymised = await api.http.post(`/api/admin/users/${intern.user.id}/anonymise`).set('Authorization', admin.bearer).send({ reason: 'Fin du DES' }).expect(200);
    expect(anonymised.body.email).toMatch(/^anonyme-[0-9a-f]{8}@carnet\.invalid$/);

    // Signed out, cannot sign in, identity gone, drafts and their files gone, validated work kept.
    await api.http.get('/api/me').set('Authorization', intern.bearer).expect(401);
    await api.http.post('/api/auth/login').send({ email: intern.email, password: 'correct horse battery staple' }).expect(401);
    const [row] = await api.dataSource.query(`SELECT email, first_name, last_name, active, password_hash FROM app_user WHERE id = $1`, [intern.user.id]);
    expect(row).toMatchObject({ first_name: 'Utilisateur', active: false, password_hash: null });
    expect(JSON.stringify(row)).not.toContain('Benoît');
    expect((await api.dataSource.query(`SELECT 1 FROM trace WHERE id = $1`, [draft.body.id])).length).toBe(0);
    expect(fs.existsSync(path.join(api.config.dataDir, 'objects', draftFile.storage_key))).toBe(false);
    await api.http.get(`/api/traces/${kept}`).set('Authorization', tutor.bearer).expect(200);
    const [{ active }] = await api.dataSource.query(`SELECT count(*)::int AS active FROM tutorship WHERE intern_id = $1 AND ended_at IS NULL`, [intern.user.id]);
    expect(active).toBe(0);

    // Nine years later the portfolio is still kept; eleven years later it is purged.
    const retention = api.worker!.get(RetentionProcessor);
    const [keptFile] = await api.dataSource.query(`SELECT storage_key FROM attachment WHERE trace_id = $1`, [kept]);
    expect(await retention.purge(new Date(Date.now() + 9 * 365 * 86400_000))).toBe(0);
    expect(await retention.purge(new Date(Date.now() + 11 * 365 * 86400_000))).toBe(1);
    expect((await api.dataSource.query(`SELECT 1 FROM trace WHERE intern_id = $1`, [intern.user.id])).length).toBe(0);
    // The admin's totals (kept by triggers) lose the purged traces too.
    const [{ counted }] = await api.dataSource.query(`SELECT count(*)::int AS counted FROM trace`);
    const [{ tallied }] = await api.dataSource.query(`SELECT coalesce(sum(n), 0)::int AS tallied FROM trace_tally`);
    expect(tallied).toBe(counted);
    const [{ tags }] = await api.dataSource.query(`SELECT coalesce(sum(n), 0)::int AS tags FROM trace_tag_tally`);
    const [{ tagged }] = await api.dataSource.query(`SELECT coalesce(sum(cardinality(competences) + cardinality(familles) + cardinality(competences) * cardinality(familles)), 0)::int AS tagged FROM trace`);
    expect(tags).toBe(tagged);
    expect(fs.existsSync(path.join(api.config.dataDir, 'objects', keptFile.storage_key))).toBe(false);
    // (Eleven years on, every session of today has expired and been cleared: sign in again.)
    const adminToken = await login(api.http, admin.email);
    const audit = await api.http.get('/api/admin/audit').query({ subjectId: intern.user.id }).set('Authorization', `Bearer ${adminToken}`).expect(200);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['user.anonymised', 'retention.purged']));

    // Active interns are never purged.
    const other = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes' });
    await api.http.post('/api/traces').set('Authorization', other.bearer).send({ kind: 'trace', title: 'Active', competences: [], familles: [] }).expect(201);
    expect(await retention.purge(new Date(Date.now() + 50 * 365 * 86400_000))).toBe(0);
    await login(api.http, other.email);
  });
});
