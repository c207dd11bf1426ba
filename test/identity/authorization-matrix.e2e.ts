import { randomUUID } from 'node:crypto';
import { Role, ROLES } from '@carnet/domain';
import { SessionsService } from '../../apps/api/src/auth/sessions.service';
import { makeUser } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

type Access = { kind: 'public' } | { kind: 'user' } | { kind: 'roles'; roles: Role[] };
interface Route {
  method: string;
  path: string;
  access?: Access;
}

/**
 * Walks every route of the published route table (the OpenAPI document) with no token and with
 * each role. A route added without an access rule fails here, as does a rule the guard ignores.
 */
let api: TestApp;
let routes: Route[];
const tokens = new Map<Role, string>();

beforeAll(async () => {
  api = await startTestApp();
  const document = (await api.http.get('/api/docs-json').expect(200)).body as {
    paths: Record<string, Record<string, { 'x-access'?: Access }>>;
  };
  routes = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({ method, path, access: operation['x-access'] })),
  );
  const sessions = api.app.get(SessionsService);
  for (const role of ROLES) {
    const user = await makeUser(api.dataSource, { roles: [role], upp: 'montpellier' });
    // One session per role, opened directly so logout routes can be walked too (re-opened below).
    tokens.set(role, (await sessions.open(user.id, { ip: null, requestId: null, userAgent: null })).accessToken);
  }
});
afterAll(async () => {
  await api.close();
});

const call = (route: Route, token?: string) => {
  const path = route.path.replace(/\{[^}]+\}/g, randomUUID());
  const request = (api.http as unknown as Record<string, (path: string) => import('supertest').Test>)[route.method](path);
  if (token) request.set('Authorization', `Bearer ${token}`);
  return ['get', 'head', 'delete'].includes(route.method) ? request : request.send({});
};

describe('the authorization matrix', () => {
  it('covers a route table that is not empty', () => {
    expect(routes.length).toBeGreaterThan(10);
  });

  it('has an access rule on every route', () => {
    expect(routes.filter((r) => !r.access).map((r) => `${r.method.toUpperCase()} ${r.path}`)).toEqual([]);
  });

  it('refuses every non-public route without a token (401)', async () => {
    for (const route of routes.filter((r) => r.access?.kind !== 'public')) {
      const response = await call(route);
      expect([`${route.method} ${route.path}`, response.status]).toEqual([`${route.method} ${route.path}`, 401]);
    }
  });

  it('gives each role exactly the routes declared for it (others: 403)', async () => {
    for (const route of routes.filter((r) => r.access?.kind !== 'public')) {
      for (const role of ROLES) {
        const allowed = route.access!.kind === 'user' || (route.access as { roles: Role[] }).roles.includes(role);
        const response = await call(route, tokens.get(role));
        const label = `${route.method.toUpperCase()} ${route.path} as ${role}`;
        if (allowed) expect([label, [401, 403].includes(response.status)]).toEqual([label, false]);
        else expect([label, response.status]).toEqual([label, 403]);
        if (route.path === '/api/auth/logout' && response.status === 204) {
          const user = await makeUser(api.dataSource, { roles: [role], upp: 'montpellier' });
          tokens.set(role, (await api.app.get(SessionsService).open(user.id, { ip: null, requestId: null, userAgent: null })).accessToken);
        }
      }
    }
  });

  it('lets anyone reach the public routes', async () => {
    for (const route of routes.filter((r) => r.access?.kind === 'public')) {
      const response = await call(route);
      expect([route.path, [401, 403].includes(response.status)]).toEqual([route.path, false]);
    }
  });
});
