import fs from 'node:fs';
import path from 'node:path';
import pdfmake from 'pdfmake';
import type { Content } from 'pdfmake';
import type { AttachmentScanView } from '@carnet/contracts';
import { JOB_PRODUCER, JobProducer } from '@carnet/queue';
import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

// The scan runs in a worker thread on the compiled reader: `npm run build` first.

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'attachments');
/** A printed prescription (« Patiente : Mme Durand », « Née le 12/05/1948 »), rendered to pixels by pdftoppm. */
const SCANNED_PNG = fs.readFileSync(path.join(FIXTURES, 'ordonnance.png'));
const SCANNED_JPEG = fs.readFileSync(path.join(FIXTURES, 'ordonnance.jpg'));

const fonts = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
pdfmake.setFonts({ Roboto: { normal: path.join(fonts, 'Roboto-Regular.ttf'), bold: path.join(fonts, 'Roboto-Medium.ttf'), italics: path.join(fonts, 'Roboto-Italic.ttf'), bolditalics: path.join(fonts, 'Roboto-MediumItalic.ttf') } });
pdfmake.setLocalAccessPolicy((requested) => requested.startsWith(fonts));
pdfmake.setUrlAccessPolicy(() => false);

/** A PDF of these pages (each a list of paragraphs or an image), laid out by pdfmake. */
const pdf = (pages: Content[][]) =>
  pdfmake.createPdf({ pageSize: 'A5', content: pages.map((page, i) => ({ stack: page, ...(i ? { pageBreak: 'before' as const } : {}) })) }).getBuffer();

const paragraph = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

describe('attachments are scanned for patient identifiers by the worker', () => {
  let api: TestApp;
  let admin: Actor;
  let intern: Actor;
  let tutor: Actor;
  let otherIntern: Actor;
  let traceId: string;

  beforeAll(async () => {
    api = await startTestApp({}, { worker: true });
    admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
    intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier' });
    tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier' });
    otherIntern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier' });
    await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);
    const trace = await api.http.post('/api/traces').set('Authorization', intern.bearer)
      .send({ kind: 'trace', title: 'Une ordonnance de sortie', content: paragraph('Relecture d’une ordonnance de sortie.'), competences: [], familles: [] }).expect(201);
    traceId = trace.body.id;
  });
  afterAll(async () => {
    await api.close();
  });

  const upload = async (data: Buffer, name: string) =>
    (await api.http.post(`/api/traces/${traceId}/attachments`).set('Authorization', intern.bearer).attach('file', data, name).expect(201)).body as { id: string; scan: AttachmentScanView };

  const scanOf = async (id: string, who = intern): Promise<AttachmentScanView> =>
    (await api.http.get(`/api/attachments/${id}/scan`).set('Authorization', who.bearer).expect(200)).body;

  /** Waits (not a timed assertion: the test's own timeout bounds it) until the worker has recorded the scan. */
  const scanned = async (id: string): Promise<AttachmentScanView> => {
    for (;;) {
      const scan = await scanOf(id);
      if (scan.status !== 'pending') return scan;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const found = (scan: AttachmentScanView) => scan.warnings.map((w) => ({ kind: w.kind, page: w.page }));

  it('answers the upload at once, the scan pending, whether or not a worker is there to run it', async () => {
    // The scans' queue paused: nothing can scan, and the upload still answers.
    const queue = api.app.get<JobProducer>(JOB_PRODUCER).queue('scans');
    await queue.pause();
    let id: string;
    try {
      const uploaded = await upload(await pdf([['Compte rendu de consultation, rien à signaler.']]), 'compte-rendu.pdf');
      id = uploaded.id;
      expect(uploaded.scan).toEqual({ status: 'pending', warnings: [], reason: null, scannedAt: null, warningsSeenAt: null });
      expect((await scanOf(id)).status).toBe('pending');
    } finally {
      await queue.resume();
    }
    // A PDF with nothing to report: done, no warning.
    const scan = await scanned(id);
    expect(scan).toMatchObject({ status: 'done', warnings: [], reason: null, warningsSeenAt: null });
    expect(Date.parse(scan.scannedAt!)).not.toBeNaN();
  });

  it('finds a date of birth, a NIR and a phone number in a text PDF, with their pages', async () => {
    const letter = await pdf([
      ['Courrier de sortie', 'M. X. Né le 03/04/1951. Joignable au 06 12 34 56 78.'],
      ['Prise en charge à 100 %.', 'NIR : 1 51 04 75 123 456 74'],
    ]);
    const { id } = await upload(letter, 'courrier.pdf');
    const scan = await scanned(id);
    expect(scan.status).toBe('done');
    expect(found(scan)).toEqual(expect.arrayContaining([{ kind: 'birth_date', page: 1 }, { kind: 'phone', page: 1 }, { kind: 'nir', page: 2 }]));
    expect(scan.warnings.find((w) => w.kind === 'birth_date')!.excerpt).toContain('03/04/1951');
    expect(scan.warnings.every((w) => w.message.length > 0)).toBe(true);
  });

  it('reads a scanned prescription (PNG) by OCR: a name and a date of birth', async () => {
    const { id } = await upload(SCANNED_PNG, 'ordonnance.png');
    const scan = await scanned(id);
    expect(scan.status).toBe('done');
    expect(found(scan)).toEqual(expect.arrayContaining([{ kind: 'name', page: null }, { kind: 'birth_date', page: null }]));
    expect(scan.warnings.find((w) => w.kind === 'birth_date')!.excerpt).toContain('12/05/1948');
  });

  it('reads a scanned page of a PDF (an image, no text layer) by OCR, on its own page', async () => {
    const scannedPdf = await pdf([['Pièces jointes au dossier : voir page suivante.'], [{ image: `data:image/jpeg;base64,${SCANNED_JPEG.toString('base64')}`, width: 360 }]]);
    const { id } = await upload(scannedPdf, 'scan.pdf');
    const scan = await scanned(id);
    expect(scan.status).toBe('done');
    expect(found(scan)).toEqual(expect.arrayContaining([{ kind: 'birth_date', page: 2 }]));
    expect(scan.warnings.every((w) => w.page === 2)).toBe(true);
  });

  it('records a corrupt PDF as failed, with a French reason, once', async () => {
    const corrupt = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 'x'), Buffer.from('\n%%EOF\n')]);
    const { id } = await upload(corrupt, 'abime.pdf');
    const scan = await scanned(id);
    expect(scan).toMatchObject({ status: 'failed', warnings: [] });
    expect(scan.reason).toMatch(/PDF est illisible/);
    // Not left to retries: its job completed, the failure recorded rather than thrown.
    const job = await api.app.get<JobProducer>(JOB_PRODUCER).queue('scans').getJob(`scan-${id}`);
    expect(await job?.getState()).toBe('completed');
  });

  it('records once that the intern was shown the warnings, for the author only, and the tutor reads it all', async () => {
    const { id } = await upload(SCANNED_PNG, 'ordonnance-2.png');
    await scanned(id);
    await api.http.post(`/api/attachments/${id}/scan/seen`).set('Authorization', otherIntern.bearer).expect(404);
    await api.http.post(`/api/attachments/${id}/scan/seen`).set('Authorization', tutor.bearer).expect(403);
    await api.http.get(`/api/attachments/${id}/scan`).set('Authorization', otherIntern.bearer).expect(404);
    expect((await scanOf(id)).warningsSeenAt).toBeNull();

    await api.http.post(`/api/attachments/${id}/scan/seen`).set('Authorization', intern.bearer).expect(204);
    const seenAt = (await scanOf(id)).warningsSeenAt;
    expect(Date.parse(seenAt!)).not.toBeNaN();
    await api.http.post(`/api/attachments/${id}/scan/seen`).set('Authorization', intern.bearer).expect(204);
    expect((await scanOf(id)).warningsSeenAt).toBe(seenAt);
    const audit: { actor_id: string; details: { attachmentId: string; warnings: number } }[] = await api.dataSource.query(
      `SELECT actor_id, details FROM audit_log WHERE action = 'attachment.scan_seen' AND subject_id = $1`,
      [traceId],
    );
    expect(audit).toEqual([{ actor_id: intern.user.id, details: { attachmentId: id, warnings: expect.any(Number) } }]);
    expect(audit[0].details.warnings).toBeGreaterThan(0);

    // Nothing is blocked: the intern submits, and the tutor's read of the trace tells which
    // attachment had warnings, and that the intern saw them.
    await api.http.post(`/api/traces/${traceId}/submit`).set('Authorization', intern.bearer).send({}).expect(200);
    const read = await api.http.get(`/api/traces/${traceId}`).set('Authorization', tutor.bearer).expect(200);
    const attachment = (read.body.attachments as { id: string; scan: AttachmentScanView }[]).find((a) => a.id === id)!;
    expect(attachment.scan).toMatchObject({ status: 'done', warningsSeenAt: seenAt });
    expect(found(attachment.scan)).toEqual(expect.arrayContaining([{ kind: 'birth_date', page: null }]));
    expect((await scanOf(id, tutor)).warnings).toEqual(attachment.scan.warnings);
  });
});
