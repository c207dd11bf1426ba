import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

let api: TestApp;
let admin: Actor;
let lead: Actor;
let otherLead: Actor;
let interns: Actor[];
let outsider: Actor;
let otherUpp: Actor;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

beforeAll(async () => {
  api = await startTestApp();
  admin = await actor(api.http, api.dataSource, { roles: ['admin'], upp: 'montpellier' });
  lead = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: 'Lucie', lastName: 'Responsable' });
  otherLead = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier' });
  interns = [];
  for (let i = 0; i < 4; i++) interns.push(await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2026, firstName: `Interne${i}`, lastName: `N${i}` }));
  outsider = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2024 });
  otherUpp = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'beziers', promotion: 2026 });
});
afterAll(() => api.close());

const session = (over: Record<string, unknown> = {}) => ({
  title: 'Séminaire UPM : la relation médecin-patient',
  kind: 'seminaire_upm',
  startsAt: at(-30),
  endsAt: at(150),
  place: 'Faculté de médecine, amphithéâtre A',
  promotions: [2026],
  uppCodes: ['montpellier'],
  capacity: 3,
  mandatory: true,
  phase: 'socle',
  leadId: lead.user.id,
  ...over,
});

async function publish(over: Record<string, unknown> = {}): Promise<string> {
  return (await api.http.post('/api/teaching-sessions').set('Authorization', admin.bearer).send(session(over)).expect(201)).body.id;
}
const register = (who: Actor, id: string) => api.http.post(`/api/teaching-sessions/${id}/registrations`).set('Authorization', who.bearer).send({});
const codeOf = async (id: string, who = lead) => (await api.http.get(`/api/teaching-sessions/${id}/attendance-code`).set('Authorization', who.bearer).expect(200)).body.code as string;
const scan = (who: Actor, code: string, sessionId?: string) => api.http.post('/api/attendance-scans').set('Authorization', who.bearer).send({ code, sessionId });

describe('Teaching sessions', () => {
  let live: string;

  it('are published by an admin, with their faults in French', async () => {
    await api.http.post('/api/teaching-sessions').send(session()).expect(401);
    await api.http.post('/api/teaching-sessions').set('Authorization', lead.bearer).send(session()).expect(403);
    const bad = await api.http.post('/api/teaching-sessions').set('Authorization', admin.bearer).send(session({ endsAt: at(-60), kind: 'cours', uppCodes: ['nulle-part'] })).expect(422);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body).toMatchObject({ detail: 'La séance est invalide.' });
    expect(bad.body.errors).toEqual(expect.arrayContaining([{ path: 'kind', message: expect.stringMatching(/^type inconnu/) }, { path: 'endsAt', message: 'la fin doit suivre le début' }]));
    const unknownUpp = await api.http.post('/api/teaching-sessions').set('Authorization', admin.bearer).send(session({ uppCodes: ['nulle-part'] })).expect(422);
    expect(unknownUpp.body.errors).toEqual([{ path: 'uppCodes.0', message: 'aucune UPP avec le code « nulle-part »' }]);

    const created = await api.http.post('/api/teaching-sessions').set('Authorization', admin.bearer).send(session({ startsAt: at(60), endsAt: at(240) })).expect(201);
    expect(created.body).toMatchObject({ title: 'Séminaire UPM : la relation médecin-patient', capacity: 3, registered: 0, mandatory: true, phase: 'socle', uppCodes: ['montpellier'], lead: { displayName: 'Lucie Responsable' }, canTakeAttendance: false });
    live = created.body.id;
  });

  it('are seen by the interns they expect, their lead and the admin; 404 for anyone else', async () => {
    const mine = await api.http.get('/api/teaching-sessions').set('Authorization', interns[0].bearer).expect(200);
    expect(mine.body.items.map((s: { id: string }) => s.id)).toContain(live);
    expect(mine.body.items.find((s: { id: string }) => s.id === live)).toMatchObject({ canRegister: true, mine: { expected: true, registered: false, attendance: null } });
    for (const stranger of [outsider, otherUpp, otherLead]) {
      expect((await api.http.get('/api/teaching-sessions').set('Authorization', stranger.bearer).expect(200)).body.items).toEqual([]);
      await api.http.get(`/api/teaching-sessions/${live}`).set('Authorization', stranger.bearer).expect(404);
    }
    await register(outsider, live).expect(404);
    await api.http.get(`/api/teaching-sessions/${live}`).set('Authorization', lead.bearer).expect(200);
    expect((await api.http.get('/api/teaching-sessions').set('Authorization', lead.bearer).expect(200)).body.items.map((s: { id: string }) => s.id)).toEqual([live]);
    const all = await api.http.get('/api/teaching-sessions').set('Authorization', admin.bearer).expect(200);
    expect(all.body).toMatchObject({ total: 1, page: 1, items: [{ id: live, canRegister: false }] });
  });

  it('give the last seat to one of two interns registering at once', async () => {
    await register(interns[0], live).expect(201);
    const twice = await register(interns[0], live).expect(409);
    expect(twice.body.detail).toBe('Vous êtes déjà inscrit(e) à « Séminaire UPM : la relation médecin-patient ».');
    await register(interns[1], live).expect(201);
    // One seat left, two requests at once.
    const race = await Promise.all([register(interns[2], live), register(interns[3], live)]);
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    const lost = race.find((r) => r.status === 409)!;
    expect(lost.body.detail).toBe('La séance « Séminaire UPM : la relation médecin-patient » est complète : 3 places, toutes prises.');
    const roll = await api.http.get(`/api/teaching-sessions/${live}`).set('Authorization', admin.bearer).expect(200);
    expect(roll.body.registered).toBe(3);
    expect(roll.body.roll).toHaveLength(3);
    // The admin may register the one who lost, over nobody's seat: the session is full for them too.
    const loser = race[0].status === 409 ? interns[2] : interns[3];
    await api.http.post(`/api/teaching-sessions/${live}/registrations`).set('Authorization', admin.bearer).send({ internId: loser.user.id }).expect(409);
  });

  it('show the room’s code to the lead during the session only', async () => {
    // Not yet started (more than a quarter of an hour ahead).
    const early = await api.http.get(`/api/teaching-sessions/${live}/attendance-code`).set('Authorization', lead.bearer).expect(409);
    expect(early.body.detail).toMatch(/^Le code de présence s’affiche pendant la séance \(et le quart d’heure avant\) : /);
    await api.http.get(`/api/teaching-sessions/${live}/attendance-code`).set('Authorization', interns[0].bearer).expect(403);
    await api.http.get(`/api/teaching-sessions/${live}/attendance-code`).set('Authorization', otherLead.bearer).expect(404);
  });

  describe('attendance by the room’s code', () => {
    let now: string;
    let other: string;
    beforeAll(async () => {
      now = await publish({ capacity: null });
      other = await publish({ title: 'Atelier ECG', kind: 'atelier', mandatory: false, phase: null, capacity: null });
      for (const intern of interns.slice(0, 3)) {
        await register(intern, now).expect(409); // started: interns no longer register themselves
        await api.http.post(`/api/teaching-sessions/${now}/registrations`).set('Authorization', admin.bearer).send({ internId: intern.user.id }).expect(201);
      }
      await api.http.post(`/api/teaching-sessions/${other}/registrations`).set('Authorization', admin.bearer).send({ internId: interns[0].user.id }).expect(201);
    });

    it('marks the intern present once, and refuses the replay', async () => {
      const shown = await api.http.get(`/api/teaching-sessions/${now}/attendance-code`).set('Authorization', lead.bearer).expect(200);
      expect(shown.body.url).toBe(`${api.config.http.publicUrl}/presence/${shown.body.code}`);
      expect(shown.body.svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(new Date(shown.body.rotatesAt).getTime()).toBeGreaterThan(Date.now());
      await api.http.post('/api/attendance-scans').send({ code: shown.body.code }).expect(401);
      const taken = await scan(interns[0], shown.body.code).expect(200);
      expect(taken.body).toMatchObject({ session: { id: now, title: 'Séminaire UPM : la relation médecin-patient' }, attendance: { status: 'present', via: 'code' } });
      const replay = await scan(interns[0], shown.body.code).expect(409);
      expect(replay.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(replay.body.detail).toBe('Ce code a déjà servi : votre présence à « Séminaire UPM : la relation médecin-patient » est enregistrée, inutile de scanner à nouveau.');
      const roll = await api.http.get(`/api/teaching-sessions/${now}`).set('Authorization', lead.bearer).expect(200);
      expect(roll.body.roll.find((r: { intern: { id: string } }) => r.intern.id === interns[0].user.id).attendance).toMatchObject({ status: 'present', via: 'code' });
    });

    it('refuses a code from another session, a forged code, and an intern not registered', async () => {
      const code = await codeOf(now);
      const wrong = await scan(interns[1], code, other).expect(409);
      expect(wrong.body.detail).toBe('Ce code est celui d’une autre séance (« Séminaire UPM : la relation médecin-patient »), pas de « Atelier ECG » : scannez le code affiché dans votre salle.');
      // The other session's id with this session's signature.
      const otherBytes = Buffer.from(other.replace(/-/g, ''), 'hex');
      const forged = Buffer.concat([otherBytes, Buffer.from(code, 'base64url').subarray(16)]).toString('base64url');
      const refused = await scan(interns[0], forged).expect(400);
      expect(refused.body.detail).toBe('Ce code de présence n’est pas reconnu : scannez à nouveau le code affiché dans la salle.');
      await scan(interns[0], 'pas-un-code').expect(400);
      const unregistered = await scan(interns[3], code).expect(403);
      expect(unregistered.body.detail).toBe('Vous n’êtes pas inscrit(e) à la séance « Séminaire UPM : la relation médecin-patient » : demandez à son responsable de vous cocher sur la liste.');
      await scan(lead, code).expect(403);
    });

    it('refuses a scan outside the session’s window', async () => {
      const code = await codeOf(now);
      const restore = () => api.dataSource.query(`UPDATE teaching_session SET starts_at = now() - interval '30 minutes', ends_at = now() + interval '150 minutes' WHERE id = $1`, [now]);
      try {
        await outside(code);
      } finally {
        await restore();
      }
    });

    async function outside(code: string) {
      // The session moved to yesterday: the code shown today no longer counts.
      await api.dataSource.query(`UPDATE teaching_session SET starts_at = now() - interval '26 hours', ends_at = now() - interval '24 hours' WHERE id = $1`, [now]);
      const late = await scan(interns[1], code).expect(409);
      expect(late.body.detail).toMatch(/^Ce code n’est valable que pendant la séance « Séminaire UPM : la relation médecin-patient », \S+ \d+ \S+ \d{4} de \d\d h \d\d à \d\d h \d\d : votre présence n’est pas enregistrée\.$/);
      await api.http.get(`/api/teaching-sessions/${now}/attendance-code`).set('Authorization', lead.bearer).expect(409);
    }

    it('lets the lead tick the list, and an intern justify an absence with a reason and a document', async () => {
      await api.http.put(`/api/teaching-sessions/${now}/attendance/${interns[1].user.id}`).set('Authorization', interns[0].bearer).send({ present: true }).expect(403);
      await api.http.put(`/api/teaching-sessions/${now}/attendance/${interns[3].user.id}`).set('Authorization', lead.bearer).send({ present: true }).expect(404);
      const ticked = await api.http.put(`/api/teaching-sessions/${now}/attendance/${interns[1].user.id}`).set('Authorization', lead.bearer).send({ present: true }).expect(200);
      expect(ticked.body.roll.find((r: { intern: { id: string } }) => r.intern.id === interns[1].user.id).attendance).toMatchObject({ status: 'present', via: 'list' });
      const already = await scan(interns[1], await codeOf(now)).expect(409);
      expect(already.body.detail).toBe('Votre présence à « Séminaire UPM : la relation médecin-patient » est déjà cochée par le responsable de la séance.');

      const empty = await api.http.put(`/api/teaching-sessions/${now}/absence`).set('Authorization', interns[2].bearer).send({ reason: ' ' }).expect(422);
      expect(empty.body.errors).toEqual([{ path: 'reason', message: 'le motif de l’absence est requis' }]);
      await api.http.post(`/api/teaching-sessions/${now}/absence/document`).set('Authorization', interns[2].bearer).attach('file', PDF, 'arret.pdf').expect(409);
      await api.http.put(`/api/teaching-sessions/${now}/absence`).set('Authorization', interns[2].bearer).send({ reason: 'Garde aux urgences la veille' }).expect(200);
      const withDoc = await api.http.post(`/api/teaching-sessions/${now}/absence/document`).set('Authorization', interns[2].bearer).attach('file', PDF, 'repos-de-securite.pdf').expect(201);
      expect(withDoc.body.mine.attendance).toMatchObject({ status: 'excused', reason: 'Garde aux urgences la veille', document: { filename: 'repos-de-securite.pdf', mimeType: 'application/pdf' } });
      const file = await api.http.get(`/api/teaching-sessions/${now}/absences/${interns[2].user.id}/document`).set('Authorization', lead.bearer).buffer(true).expect(200);
      expect(Buffer.from(file.body).equals(PDF)).toBe(true);
      await api.http.get(`/api/teaching-sessions/${now}/absences/${interns[2].user.id}/document`).set('Authorization', interns[0].bearer).expect(404);
      await api.http.put(`/api/teaching-sessions/${now}/absence`).set('Authorization', interns[0].bearer).send({ reason: 'Erreur' }).expect(409);
      // Ticked absent afterwards by the lead, a justified absence stays justified.
      const kept = await api.http.put(`/api/teaching-sessions/${now}/attendance/${interns[2].user.id}`).set('Authorization', lead.bearer).send({ present: false }).expect(200);
      expect(kept.body.roll.find((r: { intern: { id: string } }) => r.intern.id === interns[2].user.id).attendance.status).toBe('excused');
    });

    it('are exported per session and per intern for French Excel, formula-safe', async () => {
      const hostile = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2026, firstName: '=HYPERLINK("http://x")', lastName: 'Piège' });
      await api.http.post(`/api/teaching-sessions/${now}/registrations`).set('Authorization', admin.bearer).send({ internId: hostile.user.id }).expect(201);
      await api.http.get(`/api/teaching-sessions/${now}/attendance.csv`).set('Authorization', interns[0].bearer).expect(404);
      const csv = await api.http.get(`/api/teaching-sessions/${now}/attendance.csv`).set('Authorization', lead.bearer).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      const bytes = csv.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.toString('utf8').slice(1).split('\r\n');
      expect(lines[0]).toBe('Nom;Prénom;Courriel;Promotion;UPP;Présence;Relevé;Motif d’absence;Justificatif');
      expect(lines).toContain(`N0;Interne0;${interns[0].email};2026;montpellier;Présent(e);QR code;;`);
      expect(lines).toContain(`N1;Interne1;${interns[1].email};2026;montpellier;Présent(e);liste;;`);
      expect(lines).toContain(`N2;Interne2;${interns[2].email};2026;montpellier;Absence justifiée;par l’interne;Garde aux urgences la veille;repos-de-securite.pdf`);
      expect(lines).toContain(`Piège;"'=HYPERLINK(""http://x"")";${hostile.email};2026;montpellier;Non relevé;;;`);

      await api.http.get(`/api/portfolios/${interns[0].user.id}/teaching-attendance.csv`).set('Authorization', interns[1].bearer).expect(404);
      const own = await api.http.get(`/api/portfolios/${interns[0].user.id}/teaching-attendance.csv`).set('Authorization', admin.bearer).expect(200);
      expect(own.text.charCodeAt(0)).toBe(0xfeff);
      const rows = own.text.slice(1).split('\r\n');
      expect(rows[0]).toBe('Séance;Type;Début;Fin;Lieu;Obligatoire;Phase;Présence;Motif d’absence;Justificatif');
      expect(rows.filter((r) => r.startsWith('Séminaire UPM : la relation médecin-patient;Séminaire UPM;')).map((r) => r.split(';').slice(5, 8))).toEqual(
        expect.arrayContaining([['oui', 'phase socle', 'Présent(e)'], ['oui', 'phase socle', 'Non relevé']]),
      );
      expect(rows.some((r) => r.startsWith('Atelier ECG;Atelier;') && r.includes(';non;;Non relevé;'))).toBe(true);
      const audited: { action: string }[] = await api.dataSource.query(`SELECT DISTINCT action FROM audit_log WHERE subject_id = $1 OR subject_id = $2`, [now, interns[0].user.id]);
      expect(audited.map((a) => a.action)).toEqual(expect.arrayContaining(['teaching_session.create', 'teaching_registration.create', 'teaching_attendance.scan', 'teaching_attendance.mark', 'teaching_absence.justify', 'teaching_attendance.export', 'portfolio.read']));
    });

    it('keep why an intern was absent to the intern, the session’s lead and the DUMG: their tutor reads « Absence justifiée », not the reason', async () => {
      // A reason may be a health matter (« arrêt maladie », a child's illness): a tutor or a jury
      // needs to know the absence was justified, not why.
      const tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier' });
      await api.dataSource.query(`INSERT INTO tutorship (tutor_id, intern_id, promotion) VALUES ($1, $2, 2026)`, [tutor.user.id, interns[2].user.id]);
      const path = `/api/portfolios/${interns[2].user.id}/teaching-attendance.csv`;
      const line = (csv: string) => csv.split('\r\n').find((r) => r.includes('Absence justifiée'));
      const byTutor = await api.http.get(path).set('Authorization', tutor.bearer).expect(200);
      expect(line(byTutor.text)).toBeDefined();
      expect(byTutor.text).not.toContain('Garde aux urgences');
      expect(byTutor.text).not.toContain('repos-de-securite.pdf');
      for (const reader of [interns[2], admin]) {
        const csv = (await api.http.get(path).set('Authorization', reader.bearer).expect(200)).text;
        expect(line(csv)).toMatch(/;Absence justifiée;Garde aux urgences la veille;repos-de-securite\.pdf$/);
      }
      // The tutor does not read it from the session either: it is not theirs to see.
      const session = await api.http.get(`/api/teaching-sessions/${now}`).set('Authorization', tutor.bearer);
      expect(JSON.stringify(session.body)).not.toContain('Garde aux urgences');
    });

    it('show the phase’s mandatory sessions missed in progress, in words', async () => {
      const missed = await publish({ title: 'Séminaire UPM : soins palliatifs', startsAt: at(-60 * 24 * 3), endsAt: at(-60 * 24 * 3 + 180) });
      await api.http.post(`/api/teaching-sessions/${missed}/registrations`).set('Authorization', admin.bearer).send({ internId: interns[1].user.id }).expect(201);
      const progress = await api.http.get(`/api/portfolios/${interns[1].user.id}/progress?phase=socle`).set('Authorization', interns[1].bearer).expect(200);
      const day = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(at(-60 * 24 * 3)));
      expect(progress.body.teaching.gaps).toContain(`1 séminaire UPM obligatoire manqué : Séminaire UPM : soins palliatifs (${day})`);
      expect(progress.body.teaching.missed.map((m: { id: string }) => m.id)).toContain(missed);
    });
  });
});
