import { actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

describe.each([
  ['without', {}, 11],
  ['with', { EXTRA_FAMILLE: 'true' }, 12],
] as const)('a department %s a twelfth famille', (_label, env, count) => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp(env);
  });
  afterAll(async () => {
    await api.close();
  });

  it(`offers ${count} familles and accepts "hors_famille" only when it uses it`, async () => {
    const intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes' });
    const referential = await api.http.get('/api/traces/referential').set('Authorization', intern.bearer).expect(200);
    expect(Object.keys(referential.body.familles)).toHaveLength(count);
    expect(Object.keys(referential.body.competences)).toHaveLength(6);
    const created = await api.http.post('/api/traces').set('Authorization', intern.bearer).send({ kind: 'trace', title: 'Ailleurs', competences: [], familles: ['hors_famille'] });
    expect(created.status).toBe(count === 12 ? 201 : 422);
  });
});
