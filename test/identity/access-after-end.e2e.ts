import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { binaryBody, pdfText } from '../support/files';

/**
 * Access that must end with the relationship behind it. A former tutor keeps reading the traces
 * they reviewed, and nothing more: no export, no progress, no assessments, no comment; a jury
 * member reads a portfolio only while the session is open. Each read is checked when it happens,
 * an export when it is built and each time it is fetched, not only when it was asked for.
 */
let api: TestApp;
let admin: Actor;
let intern: Actor;
let former: Actor;
let next: Actor;
let jury: Actor;
let worker: INestApplicationContext | undefined;
const traces: Record<'reviewed' | 'unreviewed' | 'later', string> = { reviewed: '', unreviewed: '', later: '' };

const doc = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

async function startWorker() {
  worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(api.config), { logger: false });
  await worker.init();
}
async function stopWorker() {
  await worker?.close();
  worker = undefined;
}

async function write(title: string): Promise<string> {
  const created = await api.http.post('/api/traces').set('Authorization', intern.bearer).send({ kind: 'trace', title, content: doc(`Récit : ${title}`), competences: ['relation'], familles: ['aigu'] }).expect(201);
  await api.http.post(`/api/traces/${created.body.id}/submit`).set('Authorization', intern.bearer).expect(200);
  return created.body.id;
}

async function settled(who: Actor, id: string) {
  for (let i = 0; i < 600; i++) {
    const { body } = await api.http.get(`/api/exports/${id}`).set('Authorization', who.bearer).expect(200);
    if (body.status === 'completed' || body.status === 'failed') return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`export ${id} never settled`);
}


const download = (who: Actor, id: string) =>
  api.http
    .get(`/api/exports/${id}/download`)
    .set('Authorization', who.bearer)
    .buffer(true)
    .parse(binaryBody);

let formerExport: string;
let juryExport: string;
let pendingExport: string;
let sessionId: string;

beforeAll(async () => {
  api = await startTestApp({ EXPORT_RETRY_DELAY_MS: '200' });
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2025, firstName: 'Inès', lastName: 'Roux' });
  former = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: 'Paul', lastName: 'Ancien' });
  next = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: 'Nora', lastName: 'Suivante' });
  jury = await actor(api.http, api.dataSource, { roles: ['jury'], upp: 'montpellier' });

  const first = await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: former.user.id, internId: intern.user.id }).expect(201);
  traces.reviewed = await write('Trace relue par le premier tuteur');
  await api.http.post(`/api/traces/${traces.reviewed}/validate`).set('Authorization', former.bearer).send({ comment: 'Bien' }).expect(200);
  traces.unreviewed = await write('Trace jamais relue par le premier tuteur');
  await api.http.post(`/api/portfolios/${intern.user.id}/assessments`).set('Authorization', former.bearer).send({ phase: 'socle', levels: { relation: 'intermediaire' }, comment: 'Progresse' });

  // While still the tutor, and while the session is open: exports that complete.
  const session = await api.http
    .post('/api/jury-sessions')
    .set('Authorization', admin.bearer)
    .send({ title: 'Commission socle', phase: 'socle', opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 3600_000).toISOString(), memberIds: [jury.user.id], internIds: [intern.user.id] })
    .expect(201);
  sessionId = session.body.id;
  formerExport = (await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', former.bearer).send({ format: 'pdf', scope: 'all' }).expect(202)).body.id;
  juryExport = (await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', jury.bearer).send({ format: 'pdf', scope: 'validated' }).expect(202)).body.id;
  await startWorker();
  expect((await settled(former, formerExport)).status).toBe('completed');
  expect((await settled(jury, juryExport)).status).toBe('completed');
  await stopWorker();
  // Asked for while the tutor, built after the tutorship ends.
  pendingExport = (await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', former.bearer).send({ format: 'pdf', scope: 'validated' }).expect(202)).body.id;

  await api.http.post(`/api/tutorships/${first.body.id}/end`).set('Authorization', admin.bearer).send({ reason: 'Changement de tuteur' }).expect(200);
  await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: next.user.id, internId: intern.user.id }).expect(201);
  traces.later = await write('Trace écrite après la fin du premier tutorat');
  await api.http.post(`/api/traces/${traces.later}/validate`).set('Authorization', next.bearer).send({}).expect(200);
  await api.dataSource.query(`UPDATE jury_session SET closes_at = now() - interval '1 minute' WHERE id = $1`, [sessionId]);
}, 120_000);

afterAll(async () => {
  await stopWorker();
  await api.close();
});

describe('a former tutor', () => {
  it('still reads the trace they reviewed, and no other', async () => {
    await api.http.get(`/api/traces/${traces.reviewed}`).set('Authorization', former.bearer).expect(200);
    await api.http.get(`/api/traces/${traces.unreviewed}`).set('Authorization', former.bearer).expect(404);
    await api.http.get(`/api/traces/${traces.later}`).set('Authorization', former.bearer).expect(404);
  });

  it('cannot comment on the trace they reviewed: read-only, and nothing is saved', async () => {
    const before = await api.dataSource.query(`SELECT count(*)::int AS n FROM trace_comment WHERE trace_id = $1`, [traces.reviewed]);
    const response = await api.http.post(`/api/traces/${traces.reviewed}/comments`).set('Authorization', former.bearer).send({ body: 'Encore un mot' });
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect(await api.dataSource.query(`SELECT count(*)::int AS n FROM trace_comment WHERE trace_id = $1`, [traces.reviewed])).toEqual(before);
  });

  it('no longer reads the progress or the assessments (404)', async () => {
    await api.http.get(`/api/portfolios/${intern.user.id}/progress`).set('Authorization', former.bearer).expect(404);
    await api.http.get(`/api/portfolios/${intern.user.id}/assessments`).set('Authorization', former.bearer).expect(404);
  });

  it('cannot export the portfolio any more, and nothing is queued', async () => {
    const before = await api.dataSource.query(`SELECT count(*)::int AS n FROM portfolio_export`);
    for (const scope of ['all', 'validated']) {
      await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', former.bearer).send({ format: 'pdf', scope }).expect(404);
    }
    expect(await api.dataSource.query(`SELECT count(*)::int AS n FROM portfolio_export`)).toEqual(before);
  });

  it('can neither see nor download the export made while tutor', async () => {
    await api.http.get(`/api/exports/${formerExport}`).set('Authorization', former.bearer).expect(404);
    expect((await download(former, formerExport)).status).toBe(404);
  });

  it('gets no content from an export asked for while tutor and built after the end', async () => {
    await startWorker();
    try {
      for (let i = 0; i < 600; i++) {
        const [row] = await api.dataSource.query(`SELECT status, storage_key FROM portfolio_export WHERE id = $1`, [pendingExport]);
        if (row.status === 'completed' || row.status === 'failed') {
          expect(row).toEqual({ status: 'failed', storage_key: null });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('the export never settled');
    } finally {
      await stopWorker();
    }
  });
});

describe('a jury member after the session closes', () => {
  it('reads the portfolio no more, and neither sees nor downloads the export made while it was open', async () => {
    await api.http.get(`/api/jury-sessions/${sessionId}/interns/${intern.user.id}/portfolio`).set('Authorization', jury.bearer).expect(404);
    await api.http.get(`/api/traces/${traces.reviewed}`).set('Authorization', jury.bearer).expect(404);
    await api.http.get(`/api/exports/${juryExport}`).set('Authorization', jury.bearer).expect(404);
    expect((await download(jury, juryExport)).status).toBe(404);
  });
});

describe('the next tutor and the intern', () => {
  it('keep what is theirs: the current tutor exports the whole non-draft portfolio', async () => {
    await api.http.get(`/api/portfolios/${intern.user.id}/progress`).set('Authorization', next.bearer).expect(200);
    const asked = await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', next.bearer).send({ format: 'pdf', scope: 'all' }).expect(202);
    await startWorker();
    try {
      expect((await settled(next, asked.body.id)).status).toBe('completed');
    } finally {
      await stopWorker();
    }
    const text = pdfText((await download(next, asked.body.id)).body as Buffer);
    expect(text).toContain('Trace écrite après la fin du premier tutorat');
    expect(text).toContain('Trace relue par le premier tuteur');
    // An export is its requester's: the intern never sees the one their former tutor made.
    await api.http.get(`/api/exports/${formerExport}`).set('Authorization', intern.bearer).expect(404);
  });

  it('leave an audit entry for every read of the intern’s content by someone else, revisions and progress included', async () => {
    const audited = async (action: string, actor: Actor) =>
      (await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND actor_id = $2`, [action, actor.user.id]))[0].n as number;
    const before = { revision: await audited('trace.revision_read', next), progress: await audited('portfolio.read', next) };
    await api.http.get(`/api/traces/${traces.later}/revisions/1`).set('Authorization', next.bearer).expect(200);
    await api.http.get(`/api/portfolios/${intern.user.id}/progress`).set('Authorization', next.bearer).expect(200);
    await api.http.get(`/api/portfolios/${intern.user.id}/assessments`).set('Authorization', next.bearer).expect(200);
    expect(await audited('trace.revision_read', next)).toBe(before.revision + 1);
    expect(await audited('portfolio.read', next)).toBe(before.progress + 2);
    // The intern's own reads are theirs, not audited as reads of someone else's content.
    await api.http.get(`/api/traces/${traces.later}/revisions/1`).set('Authorization', intern.bearer).expect(200);
    expect(await audited('trace.revision_read', intern)).toBe(0);
  });
});
