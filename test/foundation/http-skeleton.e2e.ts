import { startTestApp, TestApp } from '../support/test-app';

describe('the HTTP skeleton', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    await api.close();
  });

  it('reports every dependency up', async () => {
    const response = await api.http.get('/api/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', checks: { database: 'up', queue: 'up', storage: 'up' } });
  });

  it('answers an unknown route with problem+json', async () => {
    const response = await api.http.get('/api/no-such-thing').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });
    expect(response.body.detail).toContain('/api/no-such-thing');
  });

  it('answers malformed JSON with a 400 problem, never a stack trace', async () => {
    const response = await api.http
      .post('/api/health')
      .set('Content-Type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.js|SyntaxError/);
  });

  it('publishes its OpenAPI document and UI', async () => {
    const json = await api.http.get('/api/docs-json').expect(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.paths)).toContain('/api/health');
    await api.http.get('/api/docs').expect(200).expect('Content-Type', /html/);
  });

  it('sets security headers and carries request ids', async () => {
    const response = await api.http.get('/api/health').set('X-Request-Id', 'req-42');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('serves the French web page outside /api', async () => {
    const response = await api.http.get('/traces/abc').expect(200);
    expect(response.text).toContain('lang="fr"');
  });
});

describe('health with Redis stopped', () => {
  let api: TestApp;
  beforeAll(async () => {
    // Nothing listens on port 1: exactly what the API sees when Redis is down.
    api = await startTestApp({ REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(async () => {
    await api.close();
  });

  it('answers 503 naming the queue as down, within the probe timeout', async () => {
    const started = Date.now();
    const response = await api.http.get('/api/health').expect(503);
    expect(response.body).toEqual({ status: 'error', checks: { database: 'up', queue: 'down', storage: 'up' } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
