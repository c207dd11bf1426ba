import { EMBEDDED_ADMIN, EmbeddedRun, startEmbeddedRun } from '../support/embedded-run';
import { until } from '../support/processes';

/**
 * An invitation link is a password for whoever holds it first: on a production run without SMTP
 * it reaches the admin's screen and nothing else, not the logs of the mail it would have sent nor
 * the request log of the page it opens (served outside the API's request log).
 */
let run: EmbeddedRun;
beforeAll(async () => {
  run = await startEmbeddedRun({ smtp: false, env: { NODE_ENV: 'production', LOG_LEVEL: 'info', METRICS_TOKEN: 'a-metrics-token-for-the-test' } });
}, 180_000);
afterAll(async () => {
  await run?.close();
});

it('logs neither the link of a new user nor the page it opens, at info in production', async () => {
  const login = await fetch(`${run.base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(EMBEDDED_ADMIN) });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const created = await fetch(`${run.base}/api/admin/users`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ email: 'rose.vidal@etu.dumg.test', lastName: 'Vidal', firstName: 'Rose', roles: ['tutor'] }),
  });
  expect(created.status).toBe(201);
  const { invitation } = (await created.json()) as { invitation: { link: string; mailed: boolean } };
  expect(invitation.mailed).toBe(false);
  const token = new URL(invitation.link).searchParams.get('jeton')!;
  const { pathname, search } = new URL(invitation.link);
  expect((await fetch(`${run.base}${pathname}${search}`)).status).toBe(200);

  // The mail is still queued and "sent" to the log: once that line is written, nothing holds the link.
  await until('the logged mail', async () => (run.output().includes('"to":"rose.vidal@etu.dumg.test"') ? true : undefined), 30_000, 100);
  expect(run.output()).toContain('mail (no SMTP_URL: logged, not sent)');
  expect(run.output()).not.toContain(token);
});

/** The request log's lines of a run, parsed (pino writes one JSON object a line); the same production run serves this check. */
function requestLines(output: string): { msg: string; reqId: string; req: { id: string; method: string; url: string; headers: Record<string, string> }; res: { statusCode: number }; responseTime: number }[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"req":'))
    .map((line) => JSON.parse(line) as ReturnType<typeof requestLines>[number])
    .filter((line) => line.res !== undefined);
}

it('writes one line per API request, its secrets redacted, and none for the health probe or the web app', async () => {
  const marker = `x-${Date.now()}`;
  const me = await fetch(`${run.base}/api/me?m=${marker}`, { headers: { Cookie: 'carnet_session=a-secret-cookie', Authorization: 'Bearer a-secret-token', 'X-Request-Id': marker } });
  expect(me.status).toBe(401);
  expect((await fetch(`${run.base}/api/health`)).status).toBe(200);
  expect((await fetch(`${run.base}/api/health/live`)).status).toBe(200);
  expect((await fetch(`${run.base}/`)).status).toBe(200);
  const line = await until('the request line', async () => requestLines(run.output()).find((l) => l.req.url === `/api/me?m=${marker}`), 10_000, 50);
  expect(line).toMatchObject({ msg: 'request completed', req: { method: 'GET' }, res: { statusCode: 401 } });
  expect(line.req.headers.cookie).toBe('[Redacted]');
  expect(line.req.headers.authorization).toBe('[Redacted]');
  expect(typeof line.responseTime).toBe('number');
  // The id an ingress gave the request ties this line to the audit entries it writes.
  expect(line.req.id).toBe(marker);
  // …as every line the request's own code writes does.
  expect(line.reqId).toBe(marker);
  expect(run.output()).not.toContain('a-secret-cookie');
  expect(run.output()).not.toContain('a-secret-token');
  expect(requestLines(run.output()).filter((l) => l.req.url === `/api/me?m=${marker}`)).toHaveLength(1);
  expect(requestLines(run.output()).some((l) => l.req.url.startsWith('/api/health') || l.req.url === '/')).toBe(false);
});
