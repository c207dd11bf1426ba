import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@carnet/config';
import { MailSender, mailTemplates } from '@carnet/mail';
import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const PUBLIC_URL = 'https://carnet.dumg.test';
const newPassword = 'une phrase de passe assez longue 2026';

const tokenOf = (link: string) => {
  const url = new URL(link);
  expect(`${url.origin}${url.pathname}`).toBe(`${PUBLIC_URL}/mot-de-passe`);
  return url.searchParams.get('jeton')!;
};

/** No SMTP_URL: the default run. Nobody receives mail, so the admin is given the links. */
describe('invitations without SMTP', () => {
  let api: TestApp;
  let admin: Actor;
  let tutor: Actor;
  beforeAll(async () => {
    api = await startTestApp({ PUBLIC_URL });
    admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
    tutor = await actor(api.http, api.dataSource, { roles: ['tutor'] });
  });
  afterAll(async () => {
    await api.close();
  });

  const createIntern = async (email: string) => {
    const response = await api.http
      .post('/api/admin/users')
      .set('Authorization', admin.bearer)
      .send({ email, lastName: 'Garnier', firstName: 'Maëlle', roles: ['intern'], promotion: 2026 })
      .expect(201);
    return response.body as { id: string; invitation: { link?: string; mailed: boolean; expiresAt: string } };
  };
  const setPassword = (token: string) => api.http.post('/api/auth/password').send({ token, password: newPassword });
  const invitationOf = async (email: string) => {
    const list = await api.http.get('/api/admin/invitations').query({ q: email }).set('Authorization', admin.bearer).expect(200);
    return list.body.items as { userId: string; status: string; sentAt: string; expiresAt: string; acceptedAt: string | null }[];
  };

  it('gives the admin the link of a user created without a password, which works once', async () => {
    const created = await createIntern('maelle.garnier@etu.dumg.test');
    expect(created.invitation).toEqual({ mailed: false, link: expect.any(String), expiresAt: expect.any(String) });
    const days = (Date.parse(created.invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13);
    expect(days).toBeLessThanOrEqual(14);
    expect(await invitationOf('maelle.garnier')).toEqual([expect.objectContaining({ userId: created.id, status: 'sent', acceptedAt: null })]);

    const token = tokenOf(created.invitation.link!);
    await setPassword(token).expect(204);
    const again = await setPassword(token).expect(400);
    expect(again.body.detail).toBe('Ce lien n’est plus valable : demandez-en un nouveau.');
    await api.http.post('/api/auth/login').send({ email: 'maelle.garnier@etu.dumg.test', password: newPassword }).expect(200);
    expect(await invitationOf('maelle.garnier')).toEqual([expect.objectContaining({ status: 'accepted', acceptedAt: expect.any(String) })]);
  });

  it('sends again with a new link that voids the old one, audited', async () => {
    const created = await createIntern('jules.perrin@etu.dumg.test');
    const first = tokenOf(created.invitation.link!);
    const resent = await api.http.post(`/api/admin/users/${created.id}/invitation`).set('Authorization', admin.bearer).expect(200);
    expect(resent.body).toEqual({ mailed: false, link: expect.any(String), expiresAt: expect.any(String) });
    const second = tokenOf(resent.body.link);
    expect(second).not.toBe(first);

    await setPassword(first).expect(400);
    await setPassword(second).expect(204);
    const audited = await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.invited' AND actor_id = $1 AND subject_id = $2`, [admin.user.id, created.id]);
    expect(audited[0].n).toBe(1);
  });

  it('shows a link past its date as expired, and refuses it', async () => {
    const created = await createIntern('nina.roche@etu.dumg.test');
    // Time is the edge here: the link is aged in the database rather than the clock moved.
    await api.dataSource.query(`UPDATE one_time_token SET expires_at = now() - interval '1 minute' WHERE user_id = $1`, [created.id]);
    expect(await invitationOf('nina.roche')).toEqual([expect.objectContaining({ status: 'expired' })]);
    const expired = await api.http.get('/api/admin/invitations').query({ status: 'expired' }).set('Authorization', admin.bearer).expect(200);
    expect(expired.body).toMatchObject({ total: 1, mailConfigured: false });
    expect(expired.body.items.map((i: { userId: string }) => i.userId)).toEqual([created.id]);
    await setPassword(tokenOf(created.invitation.link!)).expect(400);
  });

  it('lists and issues invitations to admins only', async () => {
    const created = await createIntern('lucas.morel@etu.dumg.test');
    await api.http.get('/api/admin/invitations').set('Authorization', tutor.bearer).expect(403);
    await api.http.post(`/api/admin/users/${created.id}/invitation`).set('Authorization', tutor.bearer).expect(403);
    await api.http.get('/api/admin/invitations').expect(401);
  });

  it('shows the product and the default department on the sign-in page, without a logo', async () => {
    const branding = await api.http.get('/api/branding').expect(200);
    expect(branding.body).toEqual({ title: 'Carnet — DES de médecine générale', department: 'Département de médecine générale', logoUrl: null });
    await api.http.get('/api/branding/logo').expect(404);
  });
});

describe('invitations with SMTP', () => {
  let api: TestApp;
  let admin: Actor;
  const logo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-logo-')), 'logo.svg');
  beforeAll(async () => {
    fs.writeFileSync(logo, '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    // Nothing listens there: the mails are only queued, never sent, by this API without its worker.
    api = await startTestApp({ PUBLIC_URL, SMTP_URL: 'smtp://127.0.0.1:9', DUMG_NAME: 'DUMG de Montpellier-Nîmes', CARNET_DEPARTMENT_LOGO: logo });
    admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  });
  afterAll(async () => {
    await api.close();
    fs.rmSync(path.dirname(logo), { recursive: true, force: true });
  });

  it('mails the link and never hands it to the admin', async () => {
    const created = await api.http
      .post('/api/admin/users')
      .set('Authorization', admin.bearer)
      .send({ email: 'hugo.lambert@etu.dumg.test', lastName: 'Lambert', firstName: 'Hugo', roles: ['tutor'] })
      .expect(201);
    expect(created.body.invitation).toEqual({ mailed: true, expiresAt: expect.any(String) });
    const resent = await api.http.post(`/api/admin/users/${created.body.id}/invitation`).set('Authorization', admin.bearer).expect(200);
    expect(resent.body).toEqual({ mailed: true, expiresAt: expect.any(String) });
  });

  it('names the department and serves its logo to anyone, before signing in', async () => {
    const branding = await api.http.get('/api/branding').expect(200);
    expect(branding.body).toEqual({ title: 'Carnet — DES de médecine générale', department: 'DUMG de Montpellier-Nîmes', logoUrl: '/api/branding/logo' });
    const file = await api.http.get('/api/branding/logo').buffer(true).expect(200);
    expect(file.headers['content-type']).toBe('image/svg+xml');
    expect(Buffer.from(file.body).toString()).toContain('<rect');
  });
});

describe('mail without SMTP in production', () => {
  it('logs who and what, never the link', async () => {
    const config = loadConfig({ NODE_ENV: 'production', METRICS_TOKEN: 'a-metrics-token-of-16+' });
    const lines: Record<string, unknown>[] = [];
    const sender = new MailSender(config.mail, { info: (object) => lines.push(object) });
    await sender.send(mailTemplates.invitation('eva@etu.dumg.test', 'Eva', `${PUBLIC_URL}/mot-de-passe?jeton=secret-token`, 14));
    expect(lines).toEqual([{ mail: { to: 'eva@etu.dumg.test', subject: expect.stringContaining('Carnet') } }]);
    expect(JSON.stringify(lines)).not.toContain('secret-token');
  });

  it('still logs the link on a development run, where nobody else reads the log', async () => {
    const lines: Record<string, unknown>[] = [];
    const sender = new MailSender(loadConfig({}).mail, { info: (object) => lines.push(object) });
    await sender.send(mailTemplates.invitation('eva@etu.dumg.test', 'Eva', `${PUBLIC_URL}/mot-de-passe?jeton=dev-token`, 14));
    expect(JSON.stringify(lines)).toContain('dev-token');
  });
});
