import { createHash } from 'node:crypto';
import { actor, Actor } from '../support/actors';
import { startS3Server, TestS3 } from '../support/s3-server';
import { startTestApp, TestApp } from '../support/test-app';

const paragraph = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 'x'), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 1)]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(4096, 0x90)]);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('French search', () => {
  let api: TestApp;
  let intern: Actor;
  let other: Actor;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTestApp();
    intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier' });
    other = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier' });
    const traces: [string, string, string, string[], string[]][] = [
      ['diabete', 'Suivi au long cours', 'Deux patients diabétiques insulinotraités revus en consultation de suivi.', ['continuite'], ['chronique']],
      ['vaccin', 'Une consultation de prévention', 'Les enfants vaccinés contre la rougeole ; une mère hésitante.', ['education'], ['enfant_adolescent']],
      ['thorax', 'Urgence en fin de journée', 'Une douleur thoracique constrictive à l’effort chez un agriculteur.', ['premier_recours'], ['urgence', 'chronique']],
      ['travail', 'Souffrance au travail', 'Épuisement professionnel d’une infirmière de nuit.', ['relation'], ['travail']],
    ];
    for (const [key, title, text, competences, familles] of traces) {
      const created = await api.http.post('/api/traces').set('Authorization', intern.bearer).send({ kind: 'trace', title, content: paragraph(text), competences, familles }).expect(201);
      ids[key] = created.body.id;
    }
    await api.http.post('/api/traces').set('Authorization', other.bearer).send({ kind: 'trace', title: 'Diabète', content: paragraph('Patient diabétique.'), competences: [], familles: [] }).expect(201);
  });
  afterAll(async () => {
    await api.close();
  });

  const search = async (query: Record<string, string>, who = intern) =>
    (await api.http.get('/api/traces').query(query).set('Authorization', who.bearer).expect(200)).body;
  const found = async (q: string) => (await search({ q })).items.map((t: { id: string }) => t.id);

  it('stems French words: "diabétique" finds "diabétiques", "vacciné" finds "vaccinés"', async () => {
    expect(await found('diabétique')).toEqual([ids.diabete]);
    expect(await found('vacciné')).toEqual([ids.vaccin]);
  });

  it('ignores accents: "diabetique", "epuisement"', async () => {
    expect(await found('diabetique')).toEqual([ids.diabete]);
    expect(await found('epuisement')).toEqual([ids.travail]);
  });

  it('answers phrase and prefix queries', async () => {
    expect(await found('"douleur thoracique"')).toEqual([ids.thorax]);
    expect(await found('"thoracique douleur"')).toEqual([]);
    expect(await found('insulino*')).toEqual([ids.diabete]);
  });

  it('searches only the caller’s own traces, and highlights the matches safely', async () => {
    const result = await search({ q: 'diabétique' });
    expect(result.total).toBe(1);
    expect(result.items[0].snippet).toContain('<mark>diabétiques</mark>');
    expect((await search({ q: 'diabétique' }, other)).items).toHaveLength(1);
  });

  it('filters by competence, famille, kind and status, paginated', async () => {
    expect((await search({ famille: 'chronique' })).total).toBe(2);
    expect((await search({ competence: 'education' })).items.map((t: { id: string }) => t.id)).toEqual([ids.vaccin]);
    expect((await search({ status: 'validated' })).total).toBe(0);
    const page = await search({ kind: 'trace', pageSize: '3', page: '2' });
    expect(page).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(page.items).toHaveLength(1);
  });

  it('pages through a search, best match first, and keeps the total past the last page', async () => {
    const all = await search({ q: 'consultation' });
    expect(all.total).toBe(2);
    const first = await search({ q: 'consultation', pageSize: '1', page: '1' });
    const second = await search({ q: 'consultation', pageSize: '1', page: '2' });
    expect([...first.items, ...second.items].map((t: { id: string }) => t.id)).toEqual(all.items.map((t: { id: string }) => t.id));
    expect(new Set(all.items.map((t: { id: string }) => t.id))).toEqual(new Set([ids.diabete, ids.vaccin]));
    // In the title of the prevention trace (weighted above the text): it ranks first.
    expect(all.items[0].id).toBe(ids.vaccin);
    expect(await search({ q: 'consultation', pageSize: '1', page: '3' })).toMatchObject({ total: 2, items: [] });
  });
});

describe.each(['local', 's3'] as const)('attachments on %s storage', (driver) => {
  let api: TestApp;
  let s3: TestS3 | undefined;
  let intern: Actor;
  let tutor: Actor;
  let stranger: Actor;
  let traceId: string;

  beforeAll(async () => {
    s3 = driver === 's3' ? await startS3Server() : undefined;
    api = await startTestApp(
      s3 ? { STORAGE_DRIVER: 's3', S3_ENDPOINT: s3.endpoint, S3_ACCESS_KEY: s3.accessKey, S3_SECRET_KEY: s3.secretKey, S3_BUCKET: 'carnet-attachments' } : {},
    );
    const admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
    intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes' });
    tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'nimes' });
    stranger = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes' });
    await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);
    traceId = (await api.http.post('/api/traces').set('Authorization', intern.bearer).send({ kind: 'other', title: 'Attestation', competences: [], familles: [] }).expect(201)).body.id;
  });
  afterAll(async () => {
    await api.close();
    await s3?.close();
  });

  const upload = (who: Actor, data: Buffer, name: string) =>
    api.http.post(`/api/traces/${traceId}/attachments`).set('Authorization', who.bearer).attach('file', data, name);
  const fetchBack = async (who: Actor, id: string): Promise<Buffer> => {
    const response = await api.http.get(`/api/attachments/${id}`).set('Authorization', who.bearer).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    if (response.status === 302) return Buffer.from(await (await fetch(response.headers.location)).arrayBuffer());
    expect(response.status).toBe(200);
    return response.body as Buffer;
  };

  it('stores a PDF and a PNG recognised by content, with their SHA-256', async () => {
    const pdf = await upload(intern, PDF, 'attestation DPC.pdf').expect(201);
    expect(pdf.body).toEqual({ id: expect.any(String), filename: 'attestation DPC.pdf', size: PDF.length, sha256: sha256(PDF), mimeType: 'application/pdf', createdAt: expect.any(String), scan: { status: 'pending', warnings: [], reason: null, scannedAt: null, warningsSeenAt: null } });
    const png = await upload(intern, PNG, 'schema.jpg').expect(201);
    expect(png.body.mimeType).toBe('image/png');
    const trace = await api.http.get(`/api/traces/${traceId}`).set('Authorization', intern.bearer).expect(200);
    // The trace lists them oldest first, each as its upload answered it.
    expect(trace.body.attachments).toEqual([pdf.body, png.body]);
    expect(sha256(await fetchBack(intern, pdf.body.id))).toBe(sha256(PDF));
  });

  it('refuses an executable named .pdf (415) and a file over 10 MB (413), keeping nothing', async () => {
    await upload(intern, EXE, 'ordonnance.pdf').expect(415);
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10 * 1024 * 1024 + 10, 'x')]);
    await upload(intern, big, 'gros.pdf').expect(413);
    const rows = await api.dataSource.query(`SELECT filename FROM attachment WHERE trace_id = $1`, [traceId]);
    expect(rows.map((r: { filename: string }) => r.filename)).not.toContain('ordonnance.pdf');
    expect(rows.map((r: { filename: string }) => r.filename)).not.toContain('gros.pdf');
  });

  it('lets the tutor download once the trace is submitted, and nobody else', async () => {
    const pdf = await upload(intern, PDF, 'compte-rendu.pdf').expect(201);
    await api.http.get(`/api/attachments/${pdf.body.id}`).set('Authorization', tutor.bearer).expect(404);
    await api.http.post(`/api/traces/${traceId}/submit`).set('Authorization', intern.bearer).expect(200);
    expect(sha256(await fetchBack(tutor, pdf.body.id))).toBe(sha256(PDF));
    await api.http.get(`/api/attachments/${pdf.body.id}`).set('Authorization', stranger.bearer).expect(404);
    await upload(intern, PDF, 'trop-tard.pdf').expect(409);
  });
});
