import { gzipSync } from 'node:zlib';
import { actor, PASSWORD } from '../support/actors';
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
    expect(response.body.detail).toBe('Le corps de la requête n’est pas du JSON valide.');
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.js|SyntaxError/);
  });

  it('refuses a body over 3 MB with a 413 problem before any route reads it', async () => {
    const response = await api.http.post('/api/auth/login').set('Content-Type', 'application/json').send(JSON.stringify({ email: 'a'.repeat(3_200_000) })).expect(413);
    expect(response.body.detail).toBe('Le corps de la requête est trop volumineux.');
  });

  it('refuses a body of a type no route reads with a 415 problem naming it', async () => {
    const response = await api.http.post('/api/auth/login').set('Content-Type', 'application/xml').send('<email/>').expect(415);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.detail).toBe('Type de contenu non pris en charge : application/xml.');
  });

  it('takes an empty body announced as JSON as no body, and +json types with a charset', async () => {
    const user = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes' });
    const signedIn = await api.http.post('/api/auth/login').set('Content-Type', 'application/vnd.carnet+json; charset=utf-8').send(JSON.stringify({ email: user.email, password: PASSWORD })).expect(200);
    await api.http.post('/api/auth/logout').set('Authorization', `Bearer ${signedIn.body.accessToken}`).set('Content-Type', 'application/json').expect(204);
  });

  it('refuses a compressed body (415) and a URL it cannot decode (400), as problems', async () => {
    const compressed = await api.http.post('/api/auth/login').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send(gzipSync('{"email":"a@b.fr"}')).expect(415);
    expect(compressed.body.detail).toContain('gzip');
    const badUrl = await api.http.get('/api/traces/%E0%A4%A').expect(400);
    expect(badUrl.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(badUrl.headers['cache-control']).toBe('private, no-store');
    expect(badUrl.body.detail).toBe('Adresse mal formée.');
  });

  it('lets no cache keep an API answer however its path is spelled', async () => {
    const user = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes' });
    for (const spelled of ['/api/me', '/%61pi/me', '/api/Me/']) {
      const response = await api.http.get(spelled).set('Authorization', user.bearer).expect(200);
      expect(response.body.email).toBe(user.email);
      expect(response.headers['cache-control']).toBe('private, no-store');
    }
  });

  it('publishes its OpenAPI document and UI', async () => {
    const json = await api.http.get('/api/docs-json').expect(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.paths)).toContain('/api/health');
    await api.http.get('/api/docs').expect(200).expect('Content-Type', /html/);
  });

  it('sets security headers and carries request ids into the audit log', async () => {
    const response = await api.http.get('/api/health').set('X-Request-Id', 'req-42');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
    const user = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes' });
    await api.http.post('/api/auth/login').set('X-Request-Id', 'ingress-7f3a.1').send({ email: user.email, password: PASSWORD }).expect(200);
    await api.http.post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
    const ids = (await api.dataSource.query(`SELECT request_id FROM audit_log WHERE actor_id = $1 ORDER BY id`, [user.user.id])).map((r: { request_id: string }) => r.request_id);
    expect(ids[ids.length - 2]).toBe('ingress-7f3a.1');
    expect(ids[ids.length - 1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('answers liveness and readiness probes', async () => {
    await api.http.get('/api/health/live').expect(200, { status: 'ok' });
    const ready = await api.http.get('/api/health/ready').expect(200);
    expect(ready.body.checks).toEqual({ database: 'up', queue: 'up', storage: 'up' });
  });

  it('exposes Prometheus metrics: HTTP latencies by route, queue depths, process', async () => {
    await api.http.get('/api/health').expect(200);
    const metrics = await api.http.get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toMatch(/text\/plain/);
    expect(metrics.text).toMatch(/carnet_http_request_duration_seconds_count\{[^}]*route="\/api\/health"[^}]*\} \d+/);
    expect(metrics.text).toMatch(/carnet_queue_jobs\{[^}]*queue="exports",state="waiting"[^}]*\} 0/);
    expect(metrics.text).toContain('carnet_process_resident_memory_bytes');
  });

  it('serves the French web page outside /api', async () => {
    const response = await api.http.get('/traces/abc').expect(200);
    expect(response.text).toContain('lang="fr"');
  });
});

describe('metrics behind a token, and the worker’s own', () => {
  let api: TestApp;
  const port = 19000 + (process.pid % 1000);
  beforeAll(async () => {
    api = await startTestApp({ METRICS_TOKEN: 'un-jeton-de-metriques-assez-long', METRICS_PORT: String(port) }, { worker: true });
  });
  afterAll(async () => {
    await api.close();
  });

  it('refuses a scrape without the token', async () => {
    await api.http.get('/metrics').expect(401);
    await api.http.get('/metrics').set('Authorization', 'Bearer un-jeton-de-metriques-assez-long').expect(200);
  });

  it('lets Prometheus scrape the worker on METRICS_PORT', async () => {
    const denied = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(denied.status).toBe(401);
    const scraped = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: 'Bearer un-jeton-de-metriques-assez-long' } });
    expect(scraped.status).toBe(200);
    const text = await scraped.text();
    expect(text).toContain('# TYPE carnet_job_duration_seconds histogram');
    expect(text).toContain('process="worker"');
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
