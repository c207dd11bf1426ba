import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson, sha256Hex } from '@carnet/editor';
import { actor, Actor } from '../support/actors';
import { startSmtpServer, TestSmtp } from '../support/smtp-server';
import { startTestApp, TestApp } from '../support/test-app';

const rsca = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../shared/fixtures/rsca-douleur-thoracique.json'), 'utf8'));
const paragraph = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

let api: TestApp;
let smtp: TestSmtp;
let admin: Actor;
let intern: Actor;
let otherIntern: Actor;
let tutor: Actor;
let otherTutor: Actor;

beforeAll(async () => {
  smtp = await startSmtpServer();
  api = await startTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://carnet.dumg.test' }, { worker: true });
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2025, firstName: 'Claire' });
  otherIntern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2025 });
  tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: 'Anne' });
  otherTutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier' });
  await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);
  await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: otherTutor.user.id, internId: otherIntern.user.id }).expect(201);
});
afterAll(async () => {
  await api.close();
  await smtp.close();
});

const create = (who: Actor, body: Record<string, unknown>) => api.http.post('/api/traces').set('Authorization', who.bearer).send(body);
const draft = async (who: Actor, extra: Record<string, unknown> = {}) =>
  (await create(who, { kind: 'trace', title: 'Une trace', competences: ['relation'], familles: ['aigu'], content: paragraph('Un récit.'), ...extra }).expect(201)).body;
const patch = (who: Actor, id: string, version: number | undefined, body: Record<string, unknown>) => {
  const request = api.http.patch(`/api/traces/${id}`).set('Authorization', who.bearer);
  if (version !== undefined) request.set('If-Match', `"${version}"`);
  return request.send(body);
};
const act = (who: Actor, id: string, action: string, body: Record<string, unknown> = {}) =>
  api.http.post(`/api/traces/${id}/${action}`).set('Authorization', who.bearer).send(body);

describe('refusals before the happy path', () => {
  it('401 without a session, 403 for a tutor writing a trace, 400 for a malformed id', async () => {
    await api.http.post('/api/traces').send({}).expect(401);
    await create(tutor, { kind: 'trace', title: 'x', competences: [], familles: [] }).expect(403);
    await api.http.get('/api/traces/not-a-uuid').set('Authorization', intern.bearer).expect(400);
  });

  it('422 for unknown tags and kinds, naming each field', async () => {
    const response = await create(intern, { kind: 'journal', title: '', competences: ['cardiologie'], familles: ['aigu', 'aigu'] }).expect(422);
    expect(response.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['competences', 'familles', 'kind', 'title']);
  });

  it('422 with the path of a schema fault, 413 for a document over 2 MB', async () => {
    const bad = { type: 'doc', content: [{ type: 'heading', attrs: { level: 9 }, content: [{ type: 'text', text: 'T' }] }] };
    const refused = await create(intern, { kind: 'trace', title: 'x', competences: [], familles: [], content: bad }).expect(422);
    expect(refused.body.errors).toEqual([{ path: 'content.content[0].attrs.level', message: 'niveau de titre entre 1 et 4' }]);
    const huge = paragraph('a'.repeat(2_200_000));
    await create(intern, { kind: 'trace', title: 'x', competences: [], familles: [], content: huge }).expect(413);
    const list = await api.http.get('/api/traces').set('Authorization', intern.bearer).expect(200);
    expect(list.body.items.filter((t: { title: string }) => t.title === 'x')).toEqual([]);
  });

  it('lets no browser or proxy keep a trace, and still tells its version', async () => {
    const created = await create(intern, rsca).expect(201);
    const read = await api.http.get(`/api/traces/${created.body.id}`).set('Authorization', intern.bearer).expect(200);
    expect(read.headers['cache-control']).toBe('private, no-store');
    expect(read.headers.etag).toBe('"1"');
    const list = await api.http.get('/api/traces').set('Authorization', intern.bearer).expect(200);
    expect(list.headers['cache-control']).toBe('private, no-store');
    expect(list.headers.etag).toBeUndefined();
  });
});

describe('the journey intern → tutor → validated', () => {
  it('goes from draft to validated with revisions, comments, mails and a stamp', async () => {
    const created = await create(intern, rsca).expect(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe(`/api/traces/${created.body.id}`);
    const id = created.body.id;
    expect(created.body).toMatchObject({ status: 'draft', version: 1, kind: 'rsca', competences: rsca.competences, internId: intern.user.id });

    const edited = await patch(intern, id, 1, { title: 'Une douleur thoracique en fin de consultation (v2)' }).expect(200);
    expect(edited.headers.etag).toBe('"2"');

    const submitted = await act(intern, id, 'submit').expect(200);
    expect(submitted.body.trace).toMatchObject({ status: 'submitted', version: 3 });
    expect(submitted.body.warnings).toEqual([]);
    const toTutor = await smtp.waitFor((m) => m.to.includes(tutor.email));
    expect(toTutor.subject).toContain('Nouvelle trace à relire');
    expect(toTutor.text).toContain(`https://carnet.dumg.test/traces/${id}`);

    await patch(intern, id, 3, { title: 'pendant la relecture' }).expect(409);
    const read = await api.http.get(`/api/traces/${id}`).set('Authorization', tutor.bearer).expect(200);
    expect(read.body.content).toEqual(created.body.content);

    const anchored = await api.http
      .post(`/api/traces/${id}/comments`)
      .set('Authorization', tutor.bearer)
      .send({ body: 'Quel score de risque as-tu utilisé ?', anchor: { from: 120, to: 140, quote: 'douleur constrictive' } })
      .expect(201);
    expect(anchored.body).toMatchObject({ anchor: { from: 120, to: 140, quote: 'douleur constrictive' }, revision: 1, author: { id: tutor.user.id } });
    await api.http.post(`/api/traces/${id}/comments`).set('Authorization', intern.bearer).send({ body: 'Aucun, je vais le préciser.', parentId: anchored.body.id }).expect(201);

    const changes = await act(tutor, id, 'request-changes', { comment: 'Ajoute ta recherche documentaire.' }).expect(200);
    expect(changes.body.status).toBe('changes_requested');
    const toIntern = await smtp.waitFor((m) => m.to.includes(intern.email) && m.subject.startsWith('Modifications demandées'));
    expect(toIntern.text).toContain('Bonjour Claire');

    const content = { type: 'doc', content: [...rsca.content.content, { type: 'paragraph', content: [{ type: 'text', text: 'Score HEART ajouté.' }] }] };
    await patch(intern, id, changes.body.version, { content }).expect(200);
    await act(intern, id, 'submit').expect(200);
    await api.http.post(`/api/comments/${anchored.body.id}/resolve`).set('Authorization', tutor.bearer).expect(200);

    const validated = await act(tutor, id, 'validate', { comment: 'Très bon travail.' }).expect(200);
    expect(validated.body).toMatchObject({ status: 'validated', validatedBy: tutor.user.id, validatedAt: expect.any(String) });
    const final = await api.http.get(`/api/traces/${id}`).set('Authorization', intern.bearer).expect(200);
    expect(validated.body.validatedSha256).toBe(sha256Hex(canonicalJson(final.body.content)));
    await smtp.waitFor((m) => m.to.includes(intern.email) && m.subject.startsWith('Trace validée'));

    await patch(intern, id, final.body.version, { title: 'après validation' }).expect(409);
    await act(intern, id, 'submit').expect(409);
    await act(tutor, id, 'validate').expect(409);

    const revisions = await api.http.get(`/api/traces/${id}/revisions`).set('Authorization', tutor.bearer).expect(200);
    expect(revisions.body.map((r: { number: number }) => r.number)).toEqual([1, 2]);
    expect(revisions.body[1].sha256).toBe(validated.body.validatedSha256);
    const first = await api.http.get(`/api/traces/${id}/revisions/1`).set('Authorization', intern.bearer).expect(200);
    expect(first.body.title).toBe('Une douleur thoracique en fin de consultation (v2)');
    expect(first.body.content.content).toHaveLength(rsca.content.content.length);

    const comments = await api.http.get(`/api/traces/${id}/comments`).set('Authorization', intern.bearer).expect(200);
    expect(comments.body.map((c: { body: string }) => c.body)).toEqual([
      'Quel score de risque as-tu utilisé ?',
      'Aucun, je vais le préciser.',
      'Ajoute ta recherche documentaire.',
      'Très bon travail.',
    ]);
    expect(comments.body[0].resolvedAt).toEqual(expect.any(String));

    const audit = await api.http.get('/api/admin/audit').query({ subjectType: 'trace', subjectId: id }).set('Authorization', admin.bearer).expect(200);
    const actions = audit.body.items.map((a: { action: string }) => a.action);
    for (const action of ['trace.created', 'trace.submitted', 'trace.changes_requested', 'trace.validated', 'trace.read']) expect(actions).toContain(action);
  });

  it('starts a new RSCA from its six-section template', async () => {
    const created = await create(intern, { kind: 'rsca', title: 'Nouveau récit', competences: [], familles: [] }).expect(201);
    expect(created.body.content.content.filter((n: { type: string }) => n.type === 'heading')).toHaveLength(6);
  });
});

describe('autosave with If-Match', () => {
  it('428 without If-Match, 412 with a stale version, and nothing changes', async () => {
    const trace = await draft(intern);
    await patch(intern, trace.id, undefined, { title: 'sans version' }).expect(428);
    await patch(intern, trace.id, 1, { title: 'premier' }).expect(200);
    const stale = await patch(intern, trace.id, 1, { title: 'onglet en retard' }).expect(412);
    expect(stale.body.detail).toContain('version 2');
    const now = await api.http.get(`/api/traces/${trace.id}`).set('Authorization', intern.bearer).expect(200);
    expect(now.body).toMatchObject({ title: 'premier', version: 2 });
  });

  it('answers the saved trace whole, content included, and keeps what the save did not name', async () => {
    const trace = await draft(intern);
    const titled = await patch(intern, trace.id, 1, { title: '  Un titre repris  ' }).expect(200);
    expect(titled.headers.etag).toBe('"2"');
    expect(titled.body).toMatchObject({ title: 'Un titre repris', version: 2, status: 'draft', competences: ['relation'], familles: ['aigu'], content: paragraph('Un récit.') });
    expect(Date.parse(titled.body.updatedAt)).toBeGreaterThan(Date.parse(trace.updatedAt) - 1);

    const written = await patch(intern, trace.id, 2, { content: paragraph('Le récit complété.'), competences: ['relation', 'professionnalisme'] }).expect(200);
    expect(written.body).toMatchObject({ title: 'Un titre repris', version: 3, competences: ['relation', 'professionnalisme'], familles: ['aigu'], content: paragraph('Le récit complété.') });
    const read = await api.http.get(`/api/traces/${trace.id}`).set('Authorization', intern.bearer).expect(200);
    expect(read.body).toEqual({ ...written.body, attachments: [] });
    // The saved text is what the search reads.
    const found = await api.http.get('/api/traces').query({ q: 'complété' }).set('Authorization', intern.bearer).expect(200);
    expect(found.body.items.map((t: { id: string }) => t.id)).toContain(trace.id);
  });

  it('says why a save changed nothing: 403 for the tutor, 404 for another intern, 409 once submitted', async () => {
    const trace = await draft(intern);
    await act(intern, trace.id, 'submit').expect(200);
    await patch(otherIntern, trace.id, 2, { title: 'intrus' }).expect(404);
    await patch(tutor, trace.id, 2, { title: 'le tuteur' }).expect(403);
    const locked = await patch(intern, trace.id, 2, { title: 'pendant la relecture' }).expect(409);
    expect(locked.body.detail).toContain('relecture');
    await patch(intern, trace.id, 1, { title: 'ancienne version' }).expect(412);
    await act(tutor, trace.id, 'request-changes', { comment: 'Précise l’analyse.' }).expect(200);
    const reopened = await api.http.get(`/api/traces/${trace.id}`).set('Authorization', intern.bearer).expect(200);
    await patch(intern, trace.id, reopened.body.version, { title: 'analyse précisée' }).expect(200);
    expect((await api.http.get(`/api/traces/${trace.id}`).set('Authorization', intern.bearer)).body.title).toBe('analyse précisée');
  });

  it('lets exactly one of two saves of the same version win', async () => {
    for (let round = 0; round < 5; round++) {
      const trace = await draft(intern);
      const results = await Promise.all(['onglet A', 'onglet B'].map((title) => patch(intern, trace.id, 1, { title })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
      const winner = results.find((r) => r.status === 200)!.body.title;
      const now = await api.http.get(`/api/traces/${trace.id}`).set('Authorization', intern.bearer).expect(200);
      expect(now.body).toMatchObject({ title: winner, version: 2 });
    }
  });
});

describe('who sees what', () => {
  it('hides an intern’s trace from another intern and another tutor (404)', async () => {
    const trace = await draft(intern);
    await act(intern, trace.id, 'submit').expect(200);
    await api.http.get(`/api/traces/${trace.id}`).set('Authorization', otherIntern.bearer).expect(404);
    await api.http.get(`/api/traces/${trace.id}`).set('Authorization', otherTutor.bearer).expect(404);
    await act(otherTutor, trace.id, 'validate').expect(404);
    await patch(otherIntern, trace.id, 1, { title: 'x' }).expect(404);
  });

  it('hides a tutee’s draft from the tutor, in the list too', async () => {
    const trace = await draft(intern, { title: 'Brouillon secret' });
    await api.http.get(`/api/traces/${trace.id}`).set('Authorization', tutor.bearer).expect(404);
    const list = await api.http.get('/api/traces').query({ internId: intern.user.id, pageSize: '200' }).set('Authorization', tutor.bearer).expect(200);
    expect(list.body.items.some((t: { id: string }) => t.id === trace.id)).toBe(false);
    expect(list.body.items.every((t: { status: string }) => t.status !== 'draft')).toBe(true);
  });

  it('shows an admin metadata only, never the content', async () => {
    const trace = await draft(intern, { title: 'Titre confidentiel' });
    const read = await api.http.get(`/api/traces/${trace.id}`).set('Authorization', admin.bearer).expect(200);
    expect(read.body).toMatchObject({ id: trace.id, status: 'draft', kind: 'trace' });
    expect(read.body.title).toBeUndefined();
    expect(read.body.content).toBeUndefined();
    expect(read.body.attachments).toBeUndefined();
    // Every read but its author's is in the audit log, with who read it as what.
    await api.http.get(`/api/traces/${trace.id}`).set('Authorization', intern.bearer).expect(200);
    await api.http.get(`/api/traces/${trace.id}`).set('Authorization', otherIntern.bearer).expect(404);
    const reads = await api.dataSource.query(`SELECT actor_id, details FROM audit_log WHERE action = 'trace.read' AND subject_id = $1`, [trace.id]);
    expect(reads).toEqual([{ actor_id: admin.user.id, details: { as: 'admin' } }]);
    await api.http.get(`/api/traces/${trace.id}/revisions`).set('Authorization', admin.bearer).expect(404);
    const search = await api.http.get('/api/traces').query({ q: 'confidentiel' }).set('Authorization', admin.bearer).expect(200);
    expect(search.body.total).toBe(0);
  });

  it('lets a former tutor keep reading what they reviewed, and not review it any more', async () => {
    const mover = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes', promotion: 2026 });
    const first = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'nimes' });
    const second = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'nimes' });
    const tutorship = await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: first.user.id, internId: mover.user.id }).expect(201);
    const reviewed = await draft(mover);
    const notReviewed = await draft(mover);
    await act(mover, reviewed.id, 'submit').expect(200);
    await act(mover, notReviewed.id, 'submit').expect(200);
    await act(first, reviewed.id, 'request-changes', { comment: 'À reprendre' }).expect(200);

    await api.http.post(`/api/tutorships/${tutorship.body.id}/end`).set('Authorization', admin.bearer).send({ reason: 'Changement de tuteur' }).expect(200);
    await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: second.user.id, internId: mover.user.id }).expect(201);

    await api.http.get(`/api/traces/${reviewed.id}`).set('Authorization', first.bearer).expect(200);
    await api.http.get(`/api/traces/${notReviewed.id}`).set('Authorization', first.bearer).expect(404);
    // Lists apply the same rule: the former tutor finds what they reviewed, the new one both.
    const listed = async (who: Actor) => (await api.http.get('/api/traces').query({ internId: mover.user.id }).set('Authorization', who.bearer).expect(200)).body.items.map((t: { id: string }) => t.id).sort();
    expect(await listed(first)).toEqual([reviewed.id]);
    expect(await listed(second)).toEqual([reviewed.id, notReviewed.id].sort());
    await act(mover, reviewed.id, 'submit').expect(200);
    await act(first, reviewed.id, 'validate').expect(403);
    await act(second, reviewed.id, 'validate').expect(200);
  });
});

describe('unread comments', () => {
  it('counts the tutor’s new comments in the intern’s list until the intern reads them', async () => {
    const trace = await draft(intern, { title: 'À commenter' });
    await act(intern, trace.id, 'submit').expect(200);
    await api.http.post(`/api/traces/${trace.id}/comments`).set('Authorization', tutor.bearer).send({ body: 'Premier retour' }).expect(201);
    await api.http.post(`/api/traces/${trace.id}/comments`).set('Authorization', tutor.bearer).send({ body: 'Second retour' }).expect(201);
    const unread = async () => (await api.http.get('/api/traces').query({ pageSize: '200' }).set('Authorization', intern.bearer).expect(200)).body.items.find((t: { id: string }) => t.id === trace.id).unreadComments;
    expect(await unread()).toBe(2);
    await api.http.get(`/api/traces/${trace.id}/comments`).set('Authorization', intern.bearer).expect(200);
    expect(await unread()).toBe(0);
    await api.http.post(`/api/traces/${trace.id}/comments`).set('Authorization', intern.bearer).send({ body: 'Ma réponse' }).expect(201);
    expect(await unread()).toBe(0); // one's own comments are never unread
  });
});

describe('writing a comment', () => {
  const comment = (who: Actor, traceId: string, body: Record<string, unknown>) => api.http.post(`/api/traces/${traceId}/comments`).set('Authorization', who.bearer).send(body);
  const saved = async (traceId: string) => ({
    comments: (await api.dataSource.query(`SELECT body FROM trace_comment WHERE trace_id = $1 ORDER BY created_at`, [traceId])).map((r: { body: string }) => r.body),
    audited: Number((await api.dataSource.query(`SELECT count(*) FROM audit_log WHERE action = 'comment.created' AND subject_id = $1`, [traceId]))[0].count),
    reviewers: (await api.dataSource.query(`SELECT tutor_id FROM trace_reviewer WHERE trace_id = $1`, [traceId])).map((r: { tutor_id: string }) => r.tutor_id),
  });

  it('saves the comment with its audit entry, and makes a commenting tutor a reviewer', async () => {
    const trace = await draft(intern);
    const submitted = await act(intern, trace.id, 'submit').expect(200);
    const written = await comment(tutor, trace.id, { body: '  Quel a été ton raisonnement ?  ' }).expect(201);
    expect(written.body).toMatchObject({ traceId: trace.id, body: 'Quel a été ton raisonnement ?', author: { id: tutor.user.id, displayName: expect.stringContaining('Anne') }, parentId: null, anchor: null, revision: 1, resolvedAt: null });
    expect(Date.parse(written.body.createdAt)).toBeGreaterThan(Date.parse(submitted.body.trace.submittedAt) - 1000);
    const reply = await comment(intern, trace.id, { body: 'Je l’ai détaillé.', parentId: written.body.id }).expect(201);
    expect(reply.body).toMatchObject({ parentId: written.body.id, author: { id: intern.user.id } });
    expect(await saved(trace.id)).toEqual({ comments: ['Quel a été ton raisonnement ?', 'Je l’ai détaillé.'], audited: 2, reviewers: [tutor.user.id] });
    const [entry] = await api.dataSource.query(`SELECT actor_id, subject_type, details FROM audit_log WHERE action = 'comment.created' AND subject_id = $1 ORDER BY id LIMIT 1`, [trace.id]);
    expect(entry).toEqual({ actor_id: tutor.user.id, subject_type: 'trace', details: { commentId: written.body.id } });
  });

  it('saves nothing for a caller outside the conversation, an admin, or a reply to a comment of another trace', async () => {
    const trace = await draft(intern);
    await act(intern, trace.id, 'submit').expect(200);
    const elsewhere = await draft(intern);
    const other = (await comment(intern, elsewhere.id, { body: 'Sur une autre trace' }).expect(201)).body;
    await comment(otherTutor, trace.id, { body: 'Intrus' }).expect(404);
    await comment(admin, trace.id, { body: 'Secrétariat' }).expect(403);
    await comment(tutor, '00000000-0000-4000-8000-000000000000', { body: 'Nulle part' }).expect(404);
    const orphan = await comment(tutor, trace.id, { body: 'Réponse égarée', parentId: other.id }).expect(422);
    expect(orphan.body.errors).toEqual([{ path: 'parentId', message: 'introuvable' }]);
    await comment(tutor, trace.id, { body: 'Passage', anchor: { from: 10, to: 4, quote: 'x' } }).expect(422);
    expect(await saved(trace.id)).toEqual({ comments: [], audited: 0, reviewers: [] });
  });
});

describe('deleting', () => {
  it('deletes a draft never submitted, and nothing else', async () => {
    const trace = await draft(intern);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(100, 'p')]);
    await api.http.post(`/api/traces/${trace.id}/attachments`).set('Authorization', intern.bearer).attach('file', pdf, 'notes.pdf').expect(201);
    const [{ storage_key: key }] = await api.dataSource.query(`SELECT storage_key FROM attachment WHERE trace_id = $1`, [trace.id]);
    await api.http.delete(`/api/traces/${trace.id}`).set('Authorization', intern.bearer).expect(204);
    await api.http.get(`/api/traces/${trace.id}`).set('Authorization', intern.bearer).expect(404);
    expect(fs.existsSync(path.join(api.config.dataDir, 'objects', key))).toBe(false); // its files go too
    const submitted = await draft(intern);
    await act(intern, submitted.id, 'submit').expect(200);
    await act(tutor, submitted.id, 'request-changes', { comment: 'non' }).expect(200);
    await api.http.delete(`/api/traces/${submitted.id}`).set('Authorization', intern.bearer).expect(409);
  });
});

describe('an admin’s list of every trace', () => {
  const totals = async () => {
    const total = async (query: Record<string, string>) => (await api.http.get('/api/traces').query({ ...query, pageSize: '1' }).set('Authorization', admin.bearer).expect(200)).body.total as number;
    return {
      all: await total({}),
      drafts: await total({ status: 'draft' }),
      submitted: await total({ status: 'submitted' }),
      rscas: await total({ kind: 'rsca' }),
      rscaDrafts: await total({ status: 'draft', kind: 'rsca' }),
      relation: await total({ competence: 'relation' }),
      relationSubmitted: await total({ competence: 'relation', status: 'submitted' }),
      aiguRscas: await total({ famille: 'aigu', kind: 'rsca' }),
      both: await total({ competence: 'relation', famille: 'aigu' }),
      bothRetagged: await total({ competence: 'education', famille: 'chronique', kind: 'rsca' }),
    };
  };
  const counted = async () => {
    const [row] = await api.dataSource.query(`SELECT count(*)::int AS all, count(*) FILTER (WHERE status = 'draft')::int AS drafts, count(*) FILTER (WHERE status = 'submitted')::int AS submitted,
      count(*) FILTER (WHERE kind = 'rsca')::int AS rscas, count(*) FILTER (WHERE kind = 'rsca' AND status = 'draft')::int AS "rscaDrafts",
      count(*) FILTER (WHERE 'relation' = ANY(competences))::int AS relation, count(*) FILTER (WHERE 'relation' = ANY(competences) AND status = 'submitted')::int AS "relationSubmitted",
      count(*) FILTER (WHERE 'aigu' = ANY(familles) AND kind = 'rsca')::int AS "aiguRscas", count(*) FILTER (WHERE 'relation' = ANY(competences) AND 'aigu' = ANY(familles))::int AS both,
      count(*) FILTER (WHERE 'education' = ANY(competences) AND 'chronique' = ANY(familles) AND kind = 'rsca')::int AS "bothRetagged" FROM trace`);
    return row;
  };

  it('keeps its totals right as traces are written, submitted, retyped, retagged and deleted', async () => {
    const before = await totals();
    expect(before).toEqual(await counted());
    const kept = await draft(intern, { kind: 'rsca' }); // every draft here: relation, aigu
    const dropped = await draft(otherIntern);
    await act(intern, kept.id, 'submit').expect(200);
    await patch(otherIntern, dropped.id, dropped.version, { kind: 'rsca' }).expect(200);
    await Promise.all([draft(intern), draft(otherIntern), draft(intern)]);
    const grown = { all: before.all + 5, drafts: before.drafts + 4, submitted: before.submitted + 1, rscas: before.rscas + 2, rscaDrafts: before.rscaDrafts + 1 };
    expect(await totals()).toEqual({ ...grown, relation: before.relation + 5, relationSubmitted: before.relationSubmitted + 1, aiguRscas: before.aiguRscas + 2, both: before.both + 5, bothRetagged: before.bothRetagged });
    // Retagged: the totals of the tags it left and joined move; an autosave of the text alone moves none.
    const retagged = await patch(otherIntern, dropped.id, dropped.version + 1, { competences: ['education', 'continuite'], familles: ['aigu', 'chronique'] }).expect(200);
    await patch(otherIntern, dropped.id, retagged.body.version, { content: paragraph('Un récit plus long.') }).expect(200);
    expect(await totals()).toEqual({ ...grown, relation: before.relation + 4, relationSubmitted: before.relationSubmitted + 1, aiguRscas: before.aiguRscas + 2, both: before.both + 4, bothRetagged: before.bothRetagged + 1 });
    expect(await totals()).toEqual(await counted());
    await api.http.delete(`/api/traces/${dropped.id}`).set('Authorization', otherIntern.bearer).expect(204);
    expect(await totals()).toEqual({ ...grown, all: before.all + 4, drafts: before.drafts + 3, rscas: before.rscas + 1, rscaDrafts: before.rscaDrafts,
      relation: before.relation + 4, relationSubmitted: before.relationSubmitted + 1, aiguRscas: before.aiguRscas + 1, both: before.both + 4, bothRetagged: before.bothRetagged });
    expect(await totals()).toEqual(await counted());
  });

  it('finds every trace of a tag, newest first', async () => {
    const tagged = await draft(intern, { competences: ['professionnalisme'], familles: ['aigu'] });
    const page = (await api.http.get('/api/traces').query({ competence: 'professionnalisme', pageSize: '200' }).set('Authorization', admin.bearer).expect(200)).body;
    const expected: { id: string }[] = await api.dataSource.query(`SELECT id FROM trace WHERE 'professionnalisme' = ANY(competences) ORDER BY updated_at DESC, id`);
    expect(page.items[0].id).toBe(tagged.id);
    expect(page.items.map((t: { id: string }) => t.id)).toEqual(expected.map((t) => t.id));
    expect(page.total).toBe(expected.length);
  });

  it('pages every trace newest first, as a tutor pages their tutees’', async () => {
    const page = (await api.http.get('/api/traces').query({ pageSize: '5' }).set('Authorization', admin.bearer).expect(200)).body;
    const newest: { id: string; updated_at: string }[] = await api.dataSource.query(`SELECT id FROM trace ORDER BY updated_at DESC, id LIMIT 5`);
    expect(page.items.map((t: { id: string }) => t.id)).toEqual(newest.map((t) => t.id));
    expect(page.items.every((t: { title?: string }) => t.title === undefined)).toBe(true); // metadata only
  });
});

describe('patient identifiers', () => {
  it('warns on submit with positions, and stays quiet on "Mme X"', async () => {
    const text = 'J’ai reçu Mme Dupont, née le 12/03/1957, joignable au 06 12 34 56 78. Puis Mme X.';
    const trace = await draft(intern, { content: paragraph(text) });
    const check = await act(intern, trace.id, 'check').expect(200);
    const submitted = await act(intern, trace.id, 'submit').expect(200);
    expect(submitted.body.warnings).toEqual(check.body.warnings);
    expect(submitted.body.warnings.map((w: { kind: string; from: number; to: number }) => [w.kind, text.slice(w.from, w.to)])).toEqual([
      ['name', 'Mme Dupont'],
      ['birth_date', '12/03/1957'],
      ['phone', '06 12 34 56 78'],
    ]);
  });
});

describe('paging by cursor', () => {
  it('walks a list page after page without repeating or skipping, even as traces are written', async () => {
    const writer = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2025 });
    const written: { id: string }[] = [];
    for (let i = 0; i < 7; i++) written.push(await draft(writer, { title: `Trace ${i}` }));
    const list = (query: Record<string, string>) => api.http.get('/api/traces').query({ pageSize: '3', ...query }).set('Authorization', writer.bearer).expect(200);
    const byNumber = (await list({ pageSize: '200' })).body.items.map((t: { id: string }) => t.id);
    expect(byNumber).toHaveLength(7);

    const walked: string[] = [];
    let page = (await list({})).body;
    walked.push(...page.items.map((t: { id: string }) => t.id));
    await draft(writer, { title: 'Écrite pendant la lecture' }); // newest: it goes on top, not into the next pages
    while (page.nextCursor) {
      page = (await list({ cursor: page.nextCursor })).body;
      expect(page.total).toBe(8);
      walked.push(...page.items.map((t: { id: string }) => t.id));
    }
    expect(walked).toEqual(byNumber);

    // The review order too: oldest submission first, the never-submitted at the end.
    await act(writer, written[4].id, 'submit').expect(200);
    await act(writer, written[1].id, 'submit').expect(200);
    const inOrder = (await list({ pageSize: '200', sort: 'submitted' })).body.items.map((t: { id: string }) => t.id);
    const submittedWalk: string[] = [];
    let next: string | null = null;
    do {
      const body: { items: { id: string }[]; nextCursor: string | null } = (await list({ sort: 'submitted', ...(next ? { cursor: next } : {}) })).body;
      submittedWalk.push(...body.items.map((t) => t.id));
      next = body.nextCursor;
    } while (next);
    expect(submittedWalk).toEqual(inOrder);
    expect(submittedWalk.slice(0, 2)).toEqual([written[4].id, written[1].id]);

    // A list row tells the same times as the trace itself (PostgreSQL formats them for the list).
    const one = (await api.http.get(`/api/traces/${written[4].id}`).set('Authorization', writer.bearer).expect(200)).body;
    const row = (await list({ pageSize: '200' })).body.items.find((t: { id: string }) => t.id === written[4].id);
    for (const at of ['createdAt', 'updatedAt', 'submittedAt', 'validatedAt']) expect(row[at]).toBe(one[at]);
    expect(row.submittedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('refuses a forged cursor, and a cursor on a search, with 422', async () => {
    const forged = Buffer.from(JSON.stringify(["2026-01-01'; DROP TABLE trace; --", 'x'])).toString('base64url');
    const refused = await api.http.get('/api/traces').query({ cursor: forged }).set('Authorization', intern.bearer).expect(422);
    expect(refused.body.errors).toEqual([{ path: 'cursor', message: 'curseur invalide' }]);
    await api.http.get('/api/traces').query({ cursor: 'pas-un-curseur' }).set('Authorization', intern.bearer).expect(422);
    const first = (await api.http.get('/api/traces').query({ pageSize: '1' }).set('Authorization', intern.bearer).expect(200)).body;
    await api.http.get('/api/traces').query({ q: 'douleur', cursor: first.nextCursor }).set('Authorization', intern.bearer).expect(422);
  });

  it('walks the audit log newest first by cursor, as by page number', async () => {
    for (let i = 0; i < 5; i++) await api.http.post('/api/auth/login').send({ email: 'personne@dumg.test', password: `essai ${i}` }).expect(401);
    const query = { action: 'auth.login_failed', subjectId: 'personne@dumg.test', pageSize: '2' };
    const all = (await api.http.get('/api/admin/audit').query({ ...query, pageSize: '200' }).set('Authorization', admin.bearer).expect(200)).body;
    expect(all.total).toBe(5);
    const walked: number[] = [];
    let next: string | null = null;
    do {
      const body: { items: { id: number }[]; nextCursor: string | null; total: number } = (await api.http.get('/api/admin/audit').query({ ...query, ...(next ? { cursor: next } : {}) }).set('Authorization', admin.bearer).expect(200)).body;
      expect(body.total).toBe(5);
      walked.push(...body.items.map((entry) => entry.id));
      next = body.nextCursor;
    } while (next);
    expect(walked).toEqual(all.items.map((entry: { id: number }) => entry.id));
  });
});
