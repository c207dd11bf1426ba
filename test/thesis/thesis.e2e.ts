import { NestFactory } from '@nestjs/core';
import { RemindersProcessor } from '../../apps/worker/src/reminders/reminders.processor';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

let api: TestApp;
let admin: Actor;
let intern: Actor;
let tutor: Actor;
let director: Actor;
let otherMsu: Actor;
let jury: Actor;
let stranger: Actor;

const day = (offset: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(Date.now() + offset * 86_400_000));
const tokenOf = (url: string) => decodeURIComponent(new URL(url).hash.replace(/^#jeton=/, ''));
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

beforeAll(async () => {
  api = await startTestApp();
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2024, firstName: 'Léa', lastName: 'Durand' });
  tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: 'Jean' });
  director = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: 'Paule', lastName: 'Directrice' });
  otherMsu = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'nimes' });
  jury = await actor(api.http, api.dataSource, { roles: ['jury'], upp: 'montpellier' });
  stranger = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes' });
  await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);
});
afterAll(() => api.close());

const thesisOf = async (who: Actor, status = 200) => (await api.http.get(`/api/portfolios/${intern.user.id}/thesis`).set('Authorization', who.bearer).expect(status)).body;
const audited = async (action: string) => (await api.dataSource.query(`SELECT actor_id AS "actorId", details FROM audit_log WHERE action = $1 ORDER BY id`, [action])) as { actorId: string | null; details: Record<string, unknown> }[];

describe('the thesis', () => {
  let thesisId: string;
  let steps: { id: string; label: string }[];

  it('refuses anonymous callers, strangers and bad input, in French', async () => {
    await api.http.get(`/api/portfolios/${intern.user.id}/thesis`).expect(401);
    await api.http.put(`/api/portfolios/${intern.user.id}/thesis`).send({ subject: 'x' }).expect(401);
    // Not declared yet: nobody finds it.
    await thesisOf(intern, 404);
    await thesisOf(tutor, 404);
    await api.http.put(`/api/portfolios/${intern.user.id}/thesis`).set('Authorization', stranger.bearer).send({ subject: 'Sujet' }).expect(404);
    const bad = await api.http
      .put(`/api/portfolios/${intern.user.id}/thesis`)
      .set('Authorization', intern.bearer)
      .send({ subject: ' ', director: { kind: 'external', name: 'Dr Martin', email: 'pas-une-adresse' } })
      .expect(422);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body).toMatchObject({ detail: 'La thèse est invalide.', errors: [{ path: 'subject', message: 'le sujet : texte requis' }, { path: 'director.email', message: 'adresse e-mail invalide' }] });
    const notMsu = await api.http.put(`/api/portfolios/${intern.user.id}/thesis`).set('Authorization', intern.bearer).send({ subject: 'Sujet', director: { kind: 'account', userId: jury.user.id } }).expect(422);
    expect(notMsu.body.errors).toEqual([{ path: 'director.userId', message: 'aucun MSU avec ce compte : invitez votre directeur par e-mail' }]);
    await api.http.put(`/api/portfolios/${intern.user.id}/thesis`).set('Authorization', intern.bearer).send({ subject: 'Sujet', director: { kind: 'account', email: 'personne@dumg.test' } }).expect(422);
  });

  it('is declared by the intern with the faculty’s default steps, and read by their tutor only', async () => {
    const created = await api.http
      .put(`/api/portfolios/${intern.user.id}/thesis`)
      .set('Authorization', intern.bearer)
      .send({ subject: 'Le dépistage de la rétinopathie diabétique en maison de santé', director: { kind: 'external', name: 'Dr Anne Martin', email: 'Anne.Martin@chu.test' } })
      .expect(201);
    thesisId = created.body.id;
    steps = created.body.steps;
    expect(created.body).toMatchObject({ director: { kind: 'external', name: 'Dr Anne Martin', email: 'anne.martin@chu.test' }, canEdit: true, canComment: false, directorLink: null });
    expect(steps.map((s) => s.label)).toEqual(['Fiche de thèse déposée', 'Comité : validation du sujet', 'Soutenance']);

    const read = await thesisOf(tutor);
    expect(read).toMatchObject({ subject: 'Le dépistage de la rétinopathie diabétique en maison de santé', canEdit: false, canComment: false, directorLink: null });
    expect(await audited('portfolio.read')).toContainEqual({ actorId: tutor.user.id, details: { what: 'thesis', as: 'tutor' } });
    await thesisOf(otherMsu, 404);
    await thesisOf(stranger, 404);
    // A jury member sees nothing until they sit on a session with the intern.
    await thesisOf(jury, 404);
    await api.http.put(`/api/portfolios/${intern.user.id}/thesis`).set('Authorization', tutor.bearer).send({ subject: 'Autre' }).expect(403);
    await api.http.patch(`/api/thesis-steps/${steps[0].id}`).set('Authorization', tutor.bearer).send({ doneOn: day(-1) }).expect(403);
    await api.http.patch(`/api/thesis-steps/${steps[0].id}`).set('Authorization', stranger.bearer).send({ doneOn: day(-1) }).expect(404);
  });

  it('moves through its steps with dates and documents', async () => {
    const future = await api.http.patch(`/api/thesis-steps/${steps[0].id}`).set('Authorization', intern.bearer).send({ doneOn: day(3) }).expect(422);
    expect(future.body.errors).toEqual([{ path: 'doneOn', message: 'une étape ne peut pas être franchie dans le futur' }]);
    await api.http.patch(`/api/thesis-steps/${steps[0].id}`).set('Authorization', intern.bearer).send({ plannedOn: '2026-02-30' }).expect(422);

    await api.http.patch(`/api/thesis-steps/${steps[0].id}`).set('Authorization', intern.bearer).send({ plannedOn: day(-20), doneOn: day(-15), note: 'Fiche déposée au DUMG.' }).expect(200);
    const stalled = await api.http.patch(`/api/thesis-steps/${steps[1].id}`).set('Authorization', intern.bearer).send({ plannedOn: day(-5) }).expect(200);
    expect(stalled.body.steps.map((s: { state: string }) => s.state)).toEqual(['done', 'stalled', 'unplanned']);

    const uploaded = await api.http.post(`/api/thesis-steps/${steps[0].id}/documents`).set('Authorization', intern.bearer).attach('file', PDF, 'fiche-these.pdf').expect(201);
    const [document] = uploaded.body.steps[0].documents;
    expect(document).toMatchObject({ filename: 'fiche-these.pdf', mimeType: 'application/pdf', size: PDF.length });
    await api.http.post(`/api/thesis-steps/${steps[0].id}/documents`).set('Authorization', intern.bearer).attach('file', Buffer.from('not a pdf'), 'x.pdf').expect(415);
    await api.http.post(`/api/thesis-steps/${steps[0].id}/documents`).set('Authorization', tutor.bearer).attach('file', PDF, 'x.pdf').expect(403);

    const file = await api.http.get(`/api/thesis-documents/${document.id}`).set('Authorization', tutor.bearer).buffer(true).expect(200);
    expect(Buffer.from(file.body).equals(PDF)).toBe(true);
    await api.http.get(`/api/thesis-documents/${document.id}`).set('Authorization', stranger.bearer).expect(404);
  });

  it('is read by a jury member while their session is open, read-only', async () => {
    const opens = new Date(Date.now() - 86_400_000).toISOString();
    const closes = new Date(Date.now() + 7 * 86_400_000).toISOString();
    await api.http.post('/api/jury-sessions').set('Authorization', admin.bearer).send({ title: 'Commission', phase: 'approfondissement', opensAt: opens, closesAt: closes, memberIds: [jury.user.id], internIds: [intern.user.id] }).expect(201);
    const read = await thesisOf(jury);
    expect(read).toMatchObject({ canEdit: false, canComment: false });
    expect(read.steps[0].documents).toHaveLength(1);
    await api.http.patch(`/api/thesis-steps/${steps[1].id}`).set('Authorization', jury.bearer).send({ doneOn: day(-1) }).expect(403);
  });

  it('takes its director’s comment through a single-use link that expires and is revoked by the next', async () => {
    await api.http.post('/api/thesis-director/view').send({ token: 'nope' }).expect(404);
    await api.http.post(`/api/theses/${thesisId}/director-link`).set('Authorization', tutor.bearer).expect(403);
    await api.http.post(`/api/theses/${thesisId}/director-link`).set('Authorization', stranger.bearer).expect(404);

    const issued = await api.http.post(`/api/theses/${thesisId}/director-link`).set('Authorization', intern.bearer).expect(201);
    expect(issued.body).toMatchObject({ email: 'anne.martin@chu.test', mailed: false });
    const token = tokenOf(issued.body.url);
    // Only the link's hash is stored.
    const [stored] = await api.dataSource.query(`SELECT encode(token_hash, 'hex') AS hash FROM thesis_director_link WHERE thesis_id = $1`, [thesisId]);
    expect(stored.hash).toHaveLength(64);
    expect(JSON.stringify(await api.dataSource.query(`SELECT * FROM thesis_director_link`))).not.toContain(token);

    const page = await api.http.post('/api/thesis-director/view').send({ token }).expect(200);
    expect(page.body).toMatchObject({ internName: 'Léa Durand', directorName: 'Dr Anne Martin', subject: 'Le dépistage de la rétinopathie diabétique en maison de santé', comments: [] });
    expect(page.body.steps.map((s: { state: string }) => s.state)).toEqual(['done', 'stalled', 'unplanned']);
    expect(JSON.stringify(page.body)).not.toContain('documents');

    await api.http.post('/api/thesis-director/comments').send({ token, body: ' ' }).expect(422);
    const commented = await api.http.post('/api/thesis-director/comments').send({ token, body: 'Le comité attend la grille d’entretien : envoyez-la-moi avant la fin du mois.' }).expect(201);
    expect(commented.body.comments).toMatchObject([{ authorName: 'Dr Anne Martin', viaLink: true, body: 'Le comité attend la grille d’entretien : envoyez-la-moi avant la fin du mois.' }]);
    expect((await audited('thesis.director_link.used')).map((a) => a.actorId)).toEqual([null]);

    // Used: neither a second comment nor a second look.
    const reused = await api.http.post('/api/thesis-director/comments').send({ token, body: 'Encore' }).expect(400);
    expect(reused.body.detail).toBe('Ce lien a déjà servi : chaque lien ne permet qu’un commentaire. Demandez-en un nouveau à l’interne.');
    await api.http.post('/api/thesis-director/view').send({ token }).expect(400);
    expect((await thesisOf(intern)).directorLink).toMatchObject({ state: 'used', email: 'anne.martin@chu.test' });
    expect((await thesisOf(tutor)).comments).toHaveLength(1);

    // A new link revokes the one before.
    const first = tokenOf((await api.http.post(`/api/theses/${thesisId}/director-link`).set('Authorization', intern.bearer).expect(201)).body.url);
    const second = tokenOf((await api.http.post(`/api/theses/${thesisId}/director-link`).set('Authorization', intern.bearer).expect(201)).body.url);
    const revoked = await api.http.post('/api/thesis-director/comments').send({ token: first, body: 'Trop tard' }).expect(400);
    expect(revoked.body.detail).toMatch(/^Ce lien a été révoqué/);
    await api.http.post('/api/thesis-director/view').send({ token: second }).expect(200);

    // Expired.
    await api.dataSource.query(`UPDATE thesis_director_link SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL AND revoked_at IS NULL`);
    const expired = await api.http.post('/api/thesis-director/view').send({ token: second }).expect(400);
    expect(expired.body.detail).toBe('Ce lien a expiré. Demandez-en un nouveau à l’interne.');
    expect((await thesisOf(intern)).directorLink.state).toBe('expired');

    // Revoked by the intern.
    const third = tokenOf((await api.http.post(`/api/theses/${thesisId}/director-link`).set('Authorization', intern.bearer).expect(201)).body.url);
    await api.http.delete(`/api/theses/${thesisId}/director-link`).set('Authorization', intern.bearer).expect(204);
    await api.http.post('/api/thesis-director/comments').send({ token: third, body: 'x' }).expect(400);
    expect((await thesisOf(intern)).directorLink.state).toBe('revoked');
  });

  it('takes the comments of a director with an account, who reads the thesis and nothing else', async () => {
    const live = tokenOf((await api.http.post(`/api/theses/${thesisId}/director-link`).set('Authorization', intern.bearer).expect(201)).body.url);
    await api.http.put(`/api/portfolios/${intern.user.id}/thesis`).set('Authorization', intern.bearer).send({ subject: 'Le dépistage de la rétinopathie diabétique en MSP', director: { kind: 'account', email: director.email.toUpperCase() } }).expect(200);
    // The external director's link died with the change.
    await api.http.post('/api/thesis-director/view').send({ token: live }).expect(400);
    await api.http.post(`/api/theses/${thesisId}/director-link`).set('Authorization', intern.bearer).expect(409);

    const read = await thesisOf(director);
    expect(read).toMatchObject({ director: { kind: 'account', id: director.user.id, displayName: 'Paule Directrice' }, canComment: true, canEdit: false });
    await api.http.get(`/api/portfolios/${intern.user.id}/progress`).set('Authorization', director.bearer).expect(404);
    const directed = await api.http.get('/api/theses/directed').set('Authorization', director.bearer).expect(200);
    expect(directed.body.items).toEqual([{ internId: intern.user.id, internName: 'Léa Durand', subject: 'Le dépistage de la rétinopathie diabétique en MSP', stalledSteps: 1 }]);

    const commented = await api.http.post(`/api/theses/${thesisId}/comments`).set('Authorization', director.bearer).send({ body: 'Bon avancement.' }).expect(201);
    expect(commented.body.comments.map((c: { authorName: string; viaLink: boolean }) => [c.authorName, c.viaLink])).toEqual([
      ['Dr Anne Martin', true],
      ['Paule Directrice', false],
    ]);
    await api.http.post(`/api/theses/${thesisId}/comments`).set('Authorization', tutor.bearer).send({ body: 'x' }).expect(403);
    await api.http.post(`/api/theses/${thesisId}/comments`).set('Authorization', otherMsu.bearer).send({ body: 'x' }).expect(404);
  });

  it('reminds the intern of a stalled step, once per planned day', async () => {
    const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(api.config), { logger: false });
    await context.init();
    try {
      await context.get(RemindersProcessor).run();
      await context.get(RemindersProcessor).run();
      const sent: { mail: { to: string; subject: string; text: string } }[] = await api.dataSource.query(`SELECT mail FROM reminder_log WHERE kind = 'thesis_step_stalled' AND user_id = $1`, [intern.user.id]);
      expect(sent).toHaveLength(1);
      expect(sent[0].mail).toMatchObject({ to: intern.email, subject: 'Thèse : l’étape « Comité : validation du sujet » est en retard' });
      expect(sent[0].mail.text).toContain('Bonjour Léa');
    } finally {
      await context.close();
    }
  });

  it('follows the steps the faculty defines, for theses declared afterwards', async () => {
    expect((await api.http.get('/api/admin/thesis-steps').set('Authorization', admin.bearer).expect(200)).body).toEqual({ steps: ['Fiche de thèse déposée', 'Comité : validation du sujet', 'Soutenance'], custom: false });
    await api.http.put('/api/admin/thesis-steps').set('Authorization', intern.bearer).send({ steps: ['x'] }).expect(403);
    const bad = await api.http.put('/api/admin/thesis-steps').set('Authorization', admin.bearer).send({ steps: ['Fiche', 'fiche'] }).expect(422);
    expect(bad.body.errors).toEqual([{ path: 'steps.1', message: 'intitulé en double' }]);
    const steps = ['Fiche de thèse déposée', 'Commission des thèses', 'Autorisation de soutenance', 'Soutenance'];
    await api.http.put('/api/admin/thesis-steps').set('Authorization', admin.bearer).send({ steps }).expect(200);
    const other = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2024 });
    const declared = await api.http.put(`/api/portfolios/${other.user.id}/thesis`).set('Authorization', other.bearer).send({ subject: 'Un autre sujet' }).expect(201);
    expect(declared.body.steps.map((s: { label: string }) => s.label)).toEqual(steps);
    // The running thesis keeps its steps.
    expect((await thesisOf(intern)).steps).toHaveLength(3);
  });
});
