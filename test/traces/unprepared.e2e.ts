import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The API without prepared statements, as it runs on the embedded database (`npm start`) and
 * behind a pooler in transaction mode: the hand-written statements answer the same.
 */
let api: TestApp;
let intern: Actor;

beforeAll(async () => {
  api = await startTestApp({ DATABASE_PREPARED_STATEMENTS: 'false' });
  intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2025 });
});
afterAll(() => api.close());

const doc = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

describe('without prepared statements', () => {
  it('autosaves, refuses a stale version with 412, and lists and reads what was saved', async () => {
    const created = await api.http.post('/api/traces').set('Authorization', intern.bearer)
      .send({ kind: 'trace', title: 'Garde aux urgences', competences: ['relation'], familles: ['aigu'], content: doc('Premier jet.') }).expect(201);
    const saved = await api.http.patch(`/api/traces/${created.body.id}`).set('Authorization', intern.bearer).set('If-Match', '"1"')
      .send({ title: 'Garde aux urgences de Nîmes', content: doc('Second jet.') }).expect(200);
    expect(saved.body).toMatchObject({ version: 2, title: 'Garde aux urgences de Nîmes', content: doc('Second jet.') });
    expect(saved.headers.etag).toBe('"2"');
    const metadataOnly = await api.http.patch(`/api/traces/${created.body.id}`).set('Authorization', intern.bearer).set('If-Match', '"2"').send({ competences: ['relation', 'education'] }).expect(200);
    expect(metadataOnly.body).toMatchObject({ version: 3, competences: ['relation', 'education'] });
    const stale = await api.http.patch(`/api/traces/${created.body.id}`).set('Authorization', intern.bearer).set('If-Match', '"2"').send({ title: 'Perdu ?' }).expect(412);
    expect(stale.body.detail).toContain('version 3');
    const read = await api.http.get(`/api/traces/${created.body.id}`).set('Authorization', intern.bearer).expect(200);
    expect(read.body).toMatchObject({ version: 3, title: 'Garde aux urgences de Nîmes', content: doc('Second jet.') });
    const list = await api.http.get('/api/traces').set('Authorization', intern.bearer).expect(200);
    expect(list.body).toMatchObject({ total: 1, items: [{ id: created.body.id, version: 3 }] });
  });
});
