import { NestFactory } from '@nestjs/core';
import { INestApplicationContext } from '@nestjs/common';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { RemindersProcessor } from '../../apps/worker/src/reminders/reminders.processor';
import { actor, Actor } from '../support/actors';
import { startSmtpServer, TestSmtp } from '../support/smtp-server';
import { startTestApp, TestApp } from '../support/test-app';

const paragraph = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

let api: TestApp;
let smtp: TestSmtp;
let admin: Actor;
let intern: Actor;
let tutor: Actor;
let jury: Actor;

beforeAll(async () => {
  smtp = await startSmtpServer();
  api = await startTestApp({ SMTP_URL: smtp.url }, { worker: true });
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  // Promotion 2026: in the socle phase now (November 2026 – October 2027).
  intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2026, firstName: 'Théo' });
  tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: 'Jean' });
  jury = await actor(api.http, api.dataSource, { roles: ['jury', 'tutor'], upp: 'montpellier' });
  await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);
});
afterAll(async () => {
  await api.close();
  await smtp.close();
});

async function validated(kind: string, competences: string[], familles: string[], who = intern, reviewer = tutor) {
  const created = await api.http.post('/api/traces').set('Authorization', who.bearer).send({ kind, title: `${kind} ${familles.join('+')}`, competences, familles, content: paragraph('Situation.') }).expect(201);
  await api.http.post(`/api/traces/${created.body.id}/submit`).set('Authorization', who.bearer).expect(200);
  await api.http.post(`/api/traces/${created.body.id}/validate`).set('Authorization', reviewer.bearer).send({}).expect(200);
  return created.body.id as string;
}
const progressOf = async (who: Actor, internId = intern.user.id, query: Record<string, string> = {}) =>
  (await api.http.get(`/api/portfolios/${internId}/progress`).query(query).set('Authorization', who.bearer).expect(200)).body;

describe('progress', () => {
  it('counts validated traces only, against the phase’s requirements, with the gaps in French', async () => {
    await validated('trace', ['relation', 'approche_globale'], ['chronique', 'aigu']);
    await validated('trace', ['relation'], ['urgence']);
    // A draft and a submitted trace do not count.
    await api.http.post('/api/traces').set('Authorization', intern.bearer).send({ kind: 'rsca', title: 'brouillon', competences: ['education'], familles: ['travail'] }).expect(201);

    const progress = await progressOf(intern);
    expect(progress).toMatchObject({ phase: 'socle', requirementVersion: 1, validatedTotal: 2, decided: null });
    expect(progress.competences.find((c: { code: string }) => c.code === 'relation')).toMatchObject({ validated: 2, lastLevel: null });
    expect(progress.competences.find((c: { code: string }) => c.code === 'education')).toMatchObject({ validated: 0 });
    expect(progress.familles.filter((f: { validated: number }) => f.validated > 0).map((f: { code: string }) => f.code)).toEqual(['chronique', 'aigu', 'urgence']);
    expect(progress.requirements).toEqual([
      { key: 'kind.rsca', label: '1 RSCA validé', target: 1, actual: 0, met: false },
      { key: 'validatedTraces', label: '4 traces validées', target: 4, actual: 2, met: false },
      { key: 'familles', label: '4 familles de situations couvertes', target: 4, actual: 3, met: false },
      { key: 'competences', label: '3 compétences couvertes', target: 3, actual: 2, met: false },
    ]);
    expect(progress.summary).toBe(
      'Il manque 1 RSCA, 2 traces validées, 1 famille parmi : enfant et adolescent, sexualité et génitalité, famille et couple, travail, médico-légal, patients difficiles, social, autre culture et 1 compétence parmi : premier recours, éducation, continuité, professionnalisme pour la phase socle.',
    );
  });

  it('is readable by the intern, their tutor and an admin; 404 for anyone else', async () => {
    const stranger = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes' });
    await progressOf(tutor);
    await progressOf(admin);
    await api.http.get(`/api/portfolios/${intern.user.id}/progress`).set('Authorization', stranger.bearer).expect(404);
    await api.http.get(`/api/portfolios/${intern.user.id}/progress`).set('Authorization', jury.bearer).expect(404);
    await api.http.get(`/api/portfolios/${intern.user.id}/progress`).query({ phase: 'doctorat' }).set('Authorization', intern.bearer).expect(422);
  });

  it('answers in one go for an intern with 200 validated traces', async () => {
    const busy = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes', promotion: 2026 });
    await api.dataSource.query(
      `INSERT INTO trace (intern_id, kind, title, content, content_text, competences, familles, status, validated_at, validated_by, validated_sha256, ever_submitted)
       SELECT $1, CASE WHEN g % 10 = 0 THEN 'rsca' ELSE 'trace' END, 'T' || g, '{"type":"doc","content":[]}', '', ARRAY['relation'], ARRAY['chronique', 'social'], 'validated', now(), $2, 'x', true
       FROM generate_series(1, 200) g`,
      [busy.user.id, tutor.user.id],
    );
    const progress = await progressOf(busy, busy.user.id);
    expect(progress.validatedTotal).toBe(200);
    expect(progress.kinds).toEqual({ rsca: 20, trace: 180 });
  });
});

describe('assessments', () => {
  it('lets the active tutor write one per phase, amend it with history, and refuses others', async () => {
    await api.http.post(`/api/portfolios/${intern.user.id}/assessments`).set('Authorization', jury.bearer).send({ phase: 'socle', levels: {}, comment: 'x', recommendation: 'favorable' }).expect(404);
    const bad = await api.http.post(`/api/portfolios/${intern.user.id}/assessments`).set('Authorization', tutor.bearer).send({ phase: 'socle', levels: { relation: 'expert' }, comment: 'x', recommendation: 'favorable' }).expect(422);
    expect(bad.body.errors[0].path).toBe('levels.relation');
    const first = await api.http.post(`/api/portfolios/${intern.user.id}/assessments`).set('Authorization', tutor.bearer).send({ phase: 'socle', levels: { relation: 'novice' }, comment: 'Début', recommendation: 'reserve' }).expect(201);
    const amended = await api.http.post(`/api/portfolios/${intern.user.id}/assessments`).set('Authorization', tutor.bearer).send({ phase: 'socle', levels: { relation: 'intermediaire', approche_globale: 'novice' }, comment: 'Progrès nets', recommendation: 'favorable' }).expect(200);
    expect(amended.body).toMatchObject({ id: first.body.id, version: 2, recommendation: 'favorable', frozen: false });
    expect(amended.body.history.map((h: { comment: string }) => h.comment)).toEqual(['Début', 'Progrès nets']);
    const progress = await progressOf(intern);
    expect(progress.competences.find((c: { code: string }) => c.code === 'relation').lastLevel).toBe('intermediaire');
  });
});

describe('jury sessions', () => {
  const session = (opensAt: Date, closesAt: Date, internIds: string[]) =>
    api.http.post('/api/jury-sessions').set('Authorization', admin.bearer).send({ title: 'Commission socle', phase: 'socle', opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString(), memberIds: [jury.user.id], internIds });
  const hour = 3600_000;

  it('refuses members without the jury role (422) and non-admins (403)', async () => {
    await api.http.post('/api/jury-sessions').set('Authorization', admin.bearer).send({ title: 'x', phase: 'socle', opensAt: new Date().toISOString(), closesAt: new Date(Date.now() + hour).toISOString(), memberIds: [tutor.user.id], internIds: [] }).expect(422);
    await api.http.post('/api/jury-sessions').set('Authorization', jury.bearer).send({}).expect(403);
  });

  it('opens the validated portfolio to members only inside the window, for interns on the session', async () => {
    const other = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2026 });
    const before = (await session(new Date(Date.now() + hour), new Date(Date.now() + 2 * hour), [intern.user.id]).expect(201)).body;
    const after = (await session(new Date(Date.now() - 2 * hour), new Date(Date.now() - hour), [intern.user.id]).expect(201)).body;
    const open = (await session(new Date(Date.now() - hour), new Date(Date.now() + hour), [intern.user.id]).expect(201)).body;

    await api.http.get(`/api/jury-sessions/${before.id}/interns/${intern.user.id}/portfolio`).set('Authorization', jury.bearer).expect(404);
    await api.http.get(`/api/jury-sessions/${after.id}/interns/${intern.user.id}/portfolio`).set('Authorization', jury.bearer).expect(404);
    await api.http.get(`/api/jury-sessions/${open.id}/interns/${other.user.id}/portfolio`).set('Authorization', jury.bearer).expect(404);
    const portfolio = await api.http.get(`/api/jury-sessions/${open.id}/interns/${intern.user.id}/portfolio`).set('Authorization', jury.bearer).expect(200);
    expect(portfolio.body.traces.every((t: { status: string }) => t.status === 'validated')).toBe(true);
    expect(portfolio.body.traces.length).toBeGreaterThan(0);
    expect(portfolio.body.progress.phase).toBe('socle');
    expect(portfolio.body.assessments[0].recommendation).toBe('favorable');
    // A sitting member reads the traces themselves, and can export them.
    await api.http.get(`/api/traces/${portfolio.body.traces[0].id}`).set('Authorization', jury.bearer).expect(200);
    // The tutor's comments too, read-only: a member takes no part in the conversation.
    await api.http.get(`/api/traces/${portfolio.body.traces[0].id}/comments`).set('Authorization', jury.bearer).expect(200);
    await api.http.post(`/api/traces/${portfolio.body.traces[0].id}/comments`).set('Authorization', jury.bearer).send({ body: 'Un avis' }).expect(404);
    expect((await api.dataSource.query(`SELECT count(*)::int AS n FROM trace_comment WHERE body = 'Un avis'`))[0].n).toBe(0);
    await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', jury.bearer).send({ format: 'pdf', scope: 'validated' }).expect(202);
    await api.http.post(`/api/portfolios/${other.user.id}/exports`).set('Authorization', jury.bearer).send({ format: 'pdf', scope: 'validated' }).expect(404);

    const list = await api.http.get('/api/jury-sessions').set('Authorization', jury.bearer).expect(200);
    expect(list.body.find((s: { id: string }) => s.id === before.id).interns).toBeUndefined();
    expect(list.body.find((s: { id: string }) => s.id === open.id).interns.map((i: { id: string }) => i.id)).toEqual([intern.user.id]);
  });

  it('records one decision per intern, freezes the phase, and shows it to the intern once closed', async () => {
    const opensAt = new Date(Date.now() - 3600_000);
    const open = (await session(opensAt, new Date(Date.now() + 3600_000), [intern.user.id]).expect(201)).body;
    const decision = await api.http.post(`/api/jury-sessions/${open.id}/decisions`).set('Authorization', jury.bearer).send({ internId: intern.user.id, decision: 'not_validated', comment: 'RSCA manquant' }).expect(201);
    expect(decision.body).toMatchObject({ decision: 'not_validated', requirementVersion: 1 });
    await api.http.post(`/api/jury-sessions/${open.id}/decisions`).set('Authorization', jury.bearer).send({ internId: intern.user.id, decision: 'validated', comment: 'finalement' }).expect(409);
    await expect(api.dataSource.query(`UPDATE jury_decision SET decision = 'validated'`)).rejects.toThrow(/immutable/);

    // The assessment of a decided phase is frozen.
    await api.http.post(`/api/portfolios/${intern.user.id}/assessments`).set('Authorization', tutor.bearer).send({ phase: 'socle', levels: {}, comment: 'après coup', recommendation: 'favorable' }).expect(409);

    // A later change of the requirements does not re-judge the decided phase.
    await api.http.put('/api/admin/requirements/socle').set('Authorization', admin.bearer).send({ rules: { kinds: {}, validatedTraces: 0, per: 'phase', minFamilles: 0, minCompetences: 0 } }).expect(200);
    const progress = await progressOf(intern);
    expect(progress).toMatchObject({ requirementVersion: 1, decided: { decision: 'not_validated' } });
    expect(progress.gaps.length).toBeGreaterThan(0);
    const current = await api.http.get('/api/requirements').set('Authorization', intern.bearer).expect(200);
    expect(current.body.find((r: { phase: string }) => r.phase === 'socle').version).toBe(2);

    // The intern sees the decision only once the session has closed.
    expect((await api.http.get(`/api/portfolios/${intern.user.id}/decisions`).set('Authorization', intern.bearer).expect(200)).body).toEqual([]);
    await api.dataSource.query(`UPDATE jury_session SET closes_at = now() - interval '1 second', opens_at = now() - interval '2 hours' WHERE id = $1`, [open.id]);
    const seen = await api.http.get(`/api/portfolios/${intern.user.id}/decisions`).set('Authorization', intern.bearer).expect(200);
    expect(seen.body.map((d: { decision: string }) => d.decision)).toEqual(['not_validated']);
    await api.http.post(`/api/jury-sessions/${open.id}/decisions`).set('Authorization', jury.bearer).send({ internId: intern.user.id, decision: 'deferred', comment: '' }).expect(404);
  });
});

describe('reminders', () => {
  it('fire once with two workers and a restart in between, and can be turned off', async () => {
    const ada = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes', promotion: 2025, firstName: 'Ada' });
    const msu = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'nimes', firstName: 'Marc' });
    const quiet = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'nimes', firstName: 'Silence' });
    const quietIntern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes', promotion: 2025 });
    await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: msu.user.id, internId: ada.user.id }).expect(201);
    await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: quiet.user.id, internId: quietIntern.user.id }).expect(201);
    await api.http.patch('/api/me/preferences').set('Authorization', quiet.bearer).send({ reminders: false }).expect(200);
    for (const who of [ada, quietIntern]) {
      const trace = await api.http.post('/api/traces').set('Authorization', who.bearer).send({ kind: 'trace', title: 'En attente', competences: [], familles: [], content: paragraph('x') }).expect(201);
      await api.http.post(`/api/traces/${trace.body.id}/submit`).set('Authorization', who.bearer).expect(200);
    }
    // The clock: 20 days from now, Ada's trace has waited 20 days.
    const now = new Date(Date.now() + 20 * 86400_000);
    const config = api.config;
    const start = async () => {
      const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
      await context.init();
      return context;
    };
    const contexts: INestApplicationContext[] = [await start(), await start()];
    try {
      const sent = await Promise.all(contexts.map((c) => c.get(RemindersProcessor).run(now)));
      await contexts[0].close();
      contexts[0] = await start(); // a restart
      sent.push(await contexts[0].get(RemindersProcessor).run(now));
      const waiting = await smtp.waitFor((m) => m.to.includes(msu.email) && m.subject.startsWith('Une trace attend votre relecture depuis 20 jours'));
      expect(waiting.text).toContain('Ada');
      await smtp.waitFor((m) => m.to.includes(msu.email) && /à relire cette semaine/.test(m.subject));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const toMarc = smtp.messages.filter((m) => m.to.includes(msu.email) && !m.subject.startsWith('Nouvelle trace'));
      expect(toMarc.map((m) => m.subject).sort()).toEqual(['1 trace à relire cette semaine', 'Une trace attend votre relecture depuis 20 jours']);
      expect(smtp.messages.filter((m) => m.to.includes(quiet.email) && !m.subject.startsWith('Nouvelle trace'))).toEqual([]);
      expect(sent[2]).toBe(0);
      const log = await api.dataSource.query(`SELECT kind FROM reminder_log WHERE user_id = $1 ORDER BY kind`, [msu.user.id]);
      expect(log.map((r: { kind: string }) => r.kind)).toEqual(['tutor_digest', 'tutor_waiting']);
    } finally {
      await Promise.all(contexts.map((c) => c.close()));
    }
  });
  it('nudge an intern with nothing validated for 60 days, once per idle stretch, and not a busy one', async () => {
    const ines = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes', promotion: 2025, firstName: 'Inès' });
    const victor = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes', promotion: 2025, firstName: 'Victor' });
    const day = 86400_000;
    const clock = new Date(Date.now() + 70 * day); // both accounts are 70 days old then
    // Victor had a trace validated five days before the clock; Inès never had one.
    const validatedOn = async (who: typeof victor, at: Date) =>
      api.dataSource.query(
        `INSERT INTO trace (intern_id, kind, title, content, content_text, competences, familles, status, version, validated_at, submitted_at, validated_by, validated_sha256)
         VALUES ($1, 'trace', 'Validée', '{"type":"doc","content":[]}', '', '{}', '{}', 'validated', 2, $2, $2, $3, repeat('0', 64))`,
        [who.user.id, at, admin.user.id],
      );
    await validatedOn(victor, new Date(clock.getTime() - 5 * day));
    const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(api.config), { logger: false });
    await context.init();
    const idleMails = (who: typeof ines) => smtp.messages.filter((m) => m.to.includes(who.email) && m.subject === 'Votre portfolio vous attend');
    try {
      await context.get(RemindersProcessor).run(clock);
      const nudge = await smtp.waitFor((m) => m.to.includes(ines.email) && m.subject === 'Votre portfolio vous attend');
      expect(nudge.text).toContain('Bonjour Inès');
      expect(nudge.text).toContain('depuis 60 jours');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(idleMails(victor)).toHaveLength(0); // validated five days before
      await context.get(RemindersProcessor).run(new Date(clock.getTime() + day)); // the next day: already told
      // Then Inès has a trace validated; 61 days later she is idle again: a new stretch, a new nudge.
      await validatedOn(ines, new Date(clock.getTime() + 2 * day));
      await context.get(RemindersProcessor).run(new Date(clock.getTime() + 30 * day)); // not idle yet
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(idleMails(ines)).toHaveLength(1);
      await context.get(RemindersProcessor).run(new Date(clock.getTime() + 63 * day));
      await smtp.waitFor(() => idleMails(ines).length === 2);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(idleMails(ines)).toHaveLength(2);
      // By then Victor's last validation is 68 days old: his first nudge.
      expect(idleMails(victor)).toHaveLength(1);
    } finally {
      await context.close();
    }
  });
  it('tell an intern short of the requirements, once, before their jury session', async () => {
    const chloe = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes', promotion: 2025, firstName: 'Chloé' });
    // (An earlier test lowered the socle's requirements to nothing: ask for five traces again.)
    await api.http.put('/api/admin/requirements/socle').set('Authorization', admin.bearer).send({ rules: { kinds: {}, validatedTraces: 5, per: 'phase', minFamilles: 0, minCompetences: 0 } }).expect(200);
    const [{ id: sessionId }] = await api.dataSource.query(
      `INSERT INTO jury_session (title, phase, opens_at, closes_at) VALUES ('Commission de printemps', 'socle', now() + interval '30 days', now() + interval '40 days') RETURNING id`,
    );
    await api.dataSource.query(`INSERT INTO jury_intern (session_id, intern_id) VALUES ($1, $2)`, [sessionId, chloe.user.id]);
    const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(api.config), { logger: false });
    await context.init();
    try {
      await context.get(RemindersProcessor).run();
      const notice = await smtp.waitFor((m) => m.to.includes(chloe.email) && m.subject === 'Votre commission de validation approche');
      expect(notice.text).toContain('Bonjour Chloé');
      await context.get(RemindersProcessor).run(); // the next day: nothing new to say
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(smtp.messages.filter((m) => m.to.includes(chloe.email) && m.subject === 'Votre commission de validation approche')).toHaveLength(1);
    } finally {
      await context.close();
    }
  });
});
