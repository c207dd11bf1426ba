import fs from 'node:fs';
import path from 'node:path';
import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { binaryBody, zipEntryNames } from '../support/files';

// A PDF uploaded as `passwd.html` passes the content check; inside the export ZIP it kept its
// uploaded extension and opened as HTML from the unzipped folder. Named from its type now.
const root = path.resolve(__dirname, '../..');
const rsca = JSON.parse(fs.readFileSync(path.resolve(root, '../shared/fixtures/rsca-douleur-thoracique.json'), 'utf8'));
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n<html><script>alert(1)</script></html>\n'), Buffer.alloc(2000, 'y'), Buffer.from('\n%%EOF\n')]);

let api: TestApp;
let admin: Actor;

beforeAll(async () => {
  api = await startTestApp({}, { worker: true });
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
});
afterAll(async () => {
  await api.close();
});


it('names an attachment in the ZIP from its detected type, not its uploaded extension', async () => {
  const intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2025 });
  const tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier' });
  await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);
  const trace = await api.http.post('/api/traces').set('Authorization', intern.bearer).send(rsca).expect(201);
  const uploaded = await api.http.post(`/api/traces/${trace.body.id}/attachments`).set('Authorization', intern.bearer).attach('file', PDF, 'passwd.html').expect(201);
  expect(uploaded.body.mimeType).toBe('application/pdf');

  const requested = await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', intern.bearer).send({ format: 'zip', scope: 'all' }).expect(202);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = (await api.http.get(`/api/exports/${requested.body.id}`).set('Authorization', intern.bearer).expect(200)).body.status;
    if (status === 'completed') break;
    if (status === 'failed' || Date.now() > deadline) throw new Error(`export ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const download = await api.http
    .get(`/api/exports/${requested.body.id}/download`)
    .set('Authorization', intern.bearer)
    .buffer(true)
    .parse(binaryBody)
    .expect(200);
  const attachments = (await zipEntryNames(download.body as Buffer)).filter((name) => name.includes('/pieces-jointes/'));
  expect(attachments).toEqual([expect.stringMatching(new RegExp(`/pieces-jointes/${uploaded.body.id}-passwd\\.pdf$`))]);
});
