import { sessionWhen } from '@carnet/domain';
import { RemindersProcessor } from '../../apps/worker/src/reminders/reminders.processor';
import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The daily reminders tell an intern of a mandatory teaching session they were expected at and
 * missed (neither present nor excused), once per session, naming the next mandatory session of
 * the same kind expecting them.
 */
jest.setTimeout(120_000);

const HOUR = 3_600_000;
// One clock for the whole file: a session's times and the words expected of them are the same
// minute even when the run crosses one.
const NOW = Date.now();
const at = (hours: number) => new Date(NOW + hours * HOUR).toISOString();

let api: TestApp;
let admin: Actor;
let lead: Actor;
let missing: Actor;
let present: Actor;
let excused: Actor;
let elsewhere: Actor;

beforeAll(async () => {
  api = await startTestApp({}, { worker: true });
  admin = await actor(api.http, api.dataSource, { roles: ['admin'], upp: 'montpellier' });
  lead = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier' });
  missing = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2026, firstName: 'Léa' });
  present = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2026 });
  excused = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2026 });
  elsewhere = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'beziers', promotion: 2026 });
});
afterAll(() => api?.close());

async function publish(title: string, startsIn: number, over: Record<string, unknown> = {}): Promise<string> {
  const body = { title, kind: 'seminaire_upm', startsAt: at(startsIn), endsAt: at(startsIn + 3), place: 'Faculté, amphi A', promotions: [2026], uppCodes: ['montpellier'], capacity: null, mandatory: true, phase: 'socle', leadId: lead.user.id, ...over };
  return (await api.http.post('/api/teaching-sessions').set('Authorization', admin.bearer).send(body).expect(201)).body.id;
}
const register = (id: string, who: Actor) => api.http.post(`/api/teaching-sessions/${id}/registrations`).set('Authorization', admin.bearer).send({ internId: who.user.id }).expect(201);
const sent = async (who: Actor): Promise<{ period: string; mail: { to: string; subject: string; text: string } }[]> =>
  api.dataSource.query(`SELECT period, mail FROM reminder_log WHERE kind = 'teaching_session_missed' AND user_id = $1 ORDER BY period`, [who.user.id]);

describe('the reminder of a missed mandatory session', () => {
  let missed: string;
  let week: string;

  beforeAll(async () => {
    // Held two days ago: one intern present, one excused, one neither; an intern of another UPP was not expected.
    missed = await publish('Séminaire UPM : la relation', -50);
    for (const who of [missing, present, excused]) await register(missed, who);
    await api.http.put(`/api/teaching-sessions/${missed}/attendance/${present.user.id}`).set('Authorization', lead.bearer).send({ present: true }).expect(200);
    await api.http.put(`/api/teaching-sessions/${missed}/absence`).set('Authorization', excused.bearer).send({ reason: 'Garde la veille' }).expect(200);
    // A session the intern was expected at but never registered for is missed too (progress counts it so).
    week = await publish('Semaine Assurance Maladie', -80, { kind: 'semaine_assurance_maladie' });
    // Not (yet) told: ended an hour ago (the lead completes the roll), ended 40 days ago, not mandatory.
    await publish('Séminaire UPM : ce matin', -4);
    await publish('Séminaire UPM : il y a longtemps', -40 * 24);
    await publish('Atelier facultatif', -50, { kind: 'atelier', mandatory: false, phase: null });
    // What comes next: the seminar of the same kind expecting the intern, not one of another kind, promotion or UPP, nor one sooner of those.
    await publish('Atelier ECG obligatoire', 20, { kind: 'atelier' });
    await publish('Séminaire UPM : promotion suivante', 30, { promotions: [2027] });
    await publish('Séminaire UPM : Béziers', 40, { uppCodes: ['beziers'] });
    await publish('Séminaire UPM : soins palliatifs', 24 * 10);
    await publish('Séminaire UPM : gériatrie', 24 * 20);
  });

  it('is sent once per session to the intern who neither came nor excused themselves, naming the next one of its kind', async () => {
    const reminders = api.worker!.get(RemindersProcessor);
    await reminders.run();
    await reminders.run();

    const mails = await sent(missing);
    expect(mails.map((m) => m.period).sort()).toEqual([missed, week].sort());
    const seminar = mails.find((m) => m.period === missed)!.mail;
    expect(seminar).toMatchObject({ to: missing.email, subject: 'Séance obligatoire manquée : Séminaire UPM : la relation' });
    expect(seminar.text).toContain('Bonjour Léa,');
    expect(seminar.text).toContain(`Vous étiez attendu(e) à la séance obligatoire « Séminaire UPM : la relation », ${sessionWhen(new Date(at(-50)), new Date(at(-47)))}`);
    expect(seminar.text).toContain('justifiez votre absence sur Carnet');
    const next = new Date(at(24 * 10));
    expect(seminar.text).toContain(`La prochaine séance obligatoire de ce type où vous êtes attendu(e) : « Séminaire UPM : soins palliatifs », ${sessionWhen(next, new Date(next.getTime() + 3 * HOUR))}, Faculté, amphi A.`);
    expect(seminar.text).toContain(`/enseignements/${missed}`);

    const cpam = mails.find((m) => m.period === week)!.mail;
    expect(cpam.subject).toBe('Séance obligatoire manquée : Semaine Assurance Maladie');
    expect(cpam.text).toContain('Aucune autre séance obligatoire de ce type n’est encore programmée pour vous');

    // Present or excused at the seminar: told of the week only, which they missed too.
    for (const who of [present, excused]) expect((await sent(who)).map((m) => m.period)).toEqual([week]);
    expect(await sent(elsewhere)).toEqual([]);
  });

  it('is not sent to an intern who turned reminders off', async () => {
    const quiet = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2026 });
    await api.dataSource.query(`UPDATE app_user SET reminders_enabled = false WHERE id = $1`, [quiet.user.id]);
    await api.worker!.get(RemindersProcessor).run();
    expect(await sent(quiet)).toEqual([]);
  });
});
