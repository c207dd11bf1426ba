import { ExportRepository } from '@carnet/database';
import { canonicalJson, sha256Hex } from '@carnet/editor';
import { SearchIndexProcessor } from '../../apps/worker/src/search/search-index.processor';
import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const paragraphs = (...texts: string[]) => ({ type: 'doc', content: texts.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) });

let api: TestApp;
let admin: Actor;
let intern: Actor;
let tutor: Actor;

beforeAll(async () => {
  api = await startTestApp({}, { worker: true });
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2025 });
  tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier' });
  await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);
});
afterAll(async () => {
  await api.close();
});

const draft = async (content = paragraphs('Un premier jet.')) =>
  (await api.http.post('/api/traces').set('Authorization', intern.bearer).send({ kind: 'rsca', title: 'Consultation du lundi', competences: ['relation'], familles: ['chronique'], content }).expect(201)).body as { id: string; version: number };
const autosave = (id: string, version: number | undefined, body: Record<string, unknown>, prefer: string | null = 'return=minimal') => {
  const request = api.http.patch(`/api/traces/${id}`).set('Authorization', intern.bearer);
  if (version !== undefined) request.set('If-Match', `"${version}"`);
  if (prefer !== null) request.set('Prefer', prefer);
  return request.send(body);
};
const read = async (id: string, who = intern) => (await api.http.get(`/api/traces/${id}`).set('Authorization', who.bearer).expect(200)).body;
const found = async (q: string, who = intern) =>
  ((await api.http.get('/api/traces').query({ q }).set('Authorization', who.bearer).expect(200)).body.items as { id: string; snippet: string }[]).map((t) => t.id);

/** Runs the worker's indexing until it has caught up with every save, as its next rounds would. */
async function workerCaughtUp(): Promise<void> {
  const processor = api.worker!.get(SearchIndexProcessor);
  for (let round = 0; round < 200; round++) {
    await processor.indexStale(0);
    const [{ stale }] = (await api.dataSource.query(`SELECT count(*)::int AS stale FROM trace WHERE search_stale`)) as { stale: number }[];
    if (stale === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the worker never caught up');
}

describe('an autosave asking for a minimal answer (Prefer: return=minimal)', () => {
  it('answers with the new version and the metadata, without the document just sent; the document is saved', async () => {
    const trace = await draft();
    const content = paragraphs('Une patiente de 58 ans revue pour sa tension.', 'Nous reprenons ensemble le traitement.');
    const saved = await autosave(trace.id, 1, { content }).expect(200);
    expect(saved.headers['preference-applied']).toBe('return=minimal');
    expect(saved.headers.etag).toBe('"2"');
    expect(saved.body).toMatchObject({ id: trace.id, version: 2, status: 'draft', title: 'Consultation du lundi', competences: ['relation'] });
    expect(saved.body).not.toHaveProperty('content');
    expect((await read(trace.id)).content).toEqual(content);
  });

  it('reads the preference as RFC 7240 writes it: among others, with parameters, in any case', async () => {
    const trace = await draft();
    const saved = await autosave(trace.id, 1, { title: 'Titre revu' }, 'respond-async, RETURN="minimal"; foo=bar').expect(200);
    expect(saved.headers['preference-applied']).toBe('return=minimal');
    expect(saved.body).not.toHaveProperty('content');
  });

  it('answers any other client as before: the whole trace, its content included', async () => {
    const trace = await draft();
    const content = paragraphs('Sans préférence, le document revient.');
    const plain = await autosave(trace.id, 1, { content }, null).expect(200);
    expect(plain.headers['preference-applied']).toBeUndefined();
    expect(plain.body).toMatchObject({ id: trace.id, version: 2, content });
    const representation = await autosave(trace.id, 2, { title: 'Autre titre' }, 'return=representation').expect(200);
    expect(representation.headers['preference-applied']).toBeUndefined();
    expect(representation.body.content).toEqual(content);
  });

  it('keeps every refusal: 428 without If-Match, 412 for a stale version, 409 once submitted, 422 for a faulty document', async () => {
    const trace = await draft();
    await autosave(trace.id, undefined, { content: paragraphs('sans version') }).expect(428);
    await autosave(trace.id, 1, { content: paragraphs('la bonne version') }).expect(200);
    const stale = await autosave(trace.id, 1, { content: paragraphs('un onglet en retard') }).expect(412);
    expect(stale.headers['preference-applied']).toBeUndefined();
    expect((await read(trace.id)).content).toEqual(paragraphs('la bonne version'));

    const faulty = await autosave(trace.id, 2, { content: { type: 'doc', content: [{ type: 'heading', attrs: { level: 9 }, content: [{ type: 'text', text: 'T' }] }] } }).expect(422);
    expect(faulty.body.errors).toEqual([{ path: 'content.content[0].attrs.level', message: 'niveau de titre entre 1 et 4' }]);
    const notAnObject = await autosave(trace.id, 2, { content: [{ type: 'paragraph' }] }).expect(422);
    expect(notAnObject.body.errors).toEqual([{ path: 'content', message: 'doit être un objet' }]);
    const unknown = await autosave(trace.id, 2, { content: paragraphs('x'), status: 'validated' }).expect(422);
    expect(unknown.body.errors).toEqual([{ path: 'status', message: 'propriété inconnue « status »' }]);

    await api.http.post(`/api/traces/${trace.id}/submit`).set('Authorization', intern.bearer).expect(200);
    await autosave(trace.id, 3, { content: paragraphs('pendant la relecture') }).expect(409);
  });

  it('saves a deeply nested document, as deep as a request may nest', async () => {
    const trace = await draft();
    let nested: Record<string, unknown> = { type: 'paragraph', content: [{ type: 'text', text: 'au fond des citations' }] };
    for (let level = 0; level < 29; level++) nested = { type: 'blockquote', content: [nested] };
    const content = { type: 'doc', content: [nested] };
    await autosave(trace.id, 1, { content }).expect(200);
    expect((await read(trace.id)).content).toEqual(content);
  });

  it('loses no write when two tabs save the same version at once', async () => {
    const trace = await draft();
    const results = await Promise.all(['onglet A', 'onglet B'].map((text) => autosave(trace.id, 1, { content: paragraphs(text) })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    const winner = results.find((r) => r.status === 200)!;
    const text = (await read(trace.id)).content.content[0].content[0].text;
    expect(['onglet A', 'onglet B']).toContain(text);
    expect(winner.body.version).toBe(2);
  });

  it('leaves the revision and the validation stamp as they were: what the tutor read, exactly', async () => {
    const trace = await draft();
    const content = paragraphs('Le récit final, enregistré par l’autosave.');
    await autosave(trace.id, 1, { content }).expect(200);
    const submitted = await api.http.post(`/api/traces/${trace.id}/submit`).set('Authorization', intern.bearer).expect(200);
    const revision = await api.http.get(`/api/traces/${trace.id}/revisions/1`).set('Authorization', tutor.bearer).expect(200);
    expect(revision.body.content).toEqual(content);
    const validated = await api.http.post(`/api/traces/${trace.id}/validate`).set('Authorization', tutor.bearer).send({}).expect(200);
    expect(validated.body.validatedSha256).toBe(sha256Hex(canonicalJson(content)));
    expect(revision.body.sha256).toBe(validated.body.validatedSha256);
    expect(submitted.body.trace.version).toBeLessThan(validated.body.version);
  });
});

describe('search while writing', () => {
  it('finds what the intern just typed at once, and still after the worker has indexed it; the old words no longer', async () => {
    const trace = await draft(paragraphs('Une consultation pour une angine.'));
    expect(await found('angine')).toContain(trace.id);

    await autosave(trace.id, 1, { content: paragraphs('Finalement une pyélonéphrite chez une femme enceinte.') }).expect(200);
    expect(await found('pyelonephrite')).toContain(trace.id);
    expect(await found('angine')).not.toContain(trace.id);

    await workerCaughtUp();
    expect(await found('pyelonephrite')).toContain(trace.id);
    expect(await found('"femme enceinte"')).toContain(trace.id);
    expect(await found('angine')).not.toContain(trace.id);

    await autosave(trace.id, 2, { title: 'Infection urinaire fébrile' }).expect(200);
    expect(await found('fébrile')).toContain(trace.id);
    await workerCaughtUp();
    expect(await found('febrile')).toContain(trace.id);
  });

  it('finds a trace the tutor reads by what its intern typed last, snippet included', async () => {
    const trace = await draft();
    await autosave(trace.id, 1, { content: paragraphs('Un zona ophtalmique chez un homme de 70 ans.') }).expect(200);
    await api.http.post(`/api/traces/${trace.id}/submit`).set('Authorization', intern.bearer).expect(200);
    const result = (await api.http.get('/api/traces').query({ q: 'zona' }).set('Authorization', tutor.bearer).expect(200)).body;
    expect(result.items.map((t: { id: string }) => t.id)).toEqual([trace.id]);
    expect(result.items[0].snippet).toContain('<mark>zona</mark>');
    await workerCaughtUp();
    expect(await found('ophtalmique', tutor)).toEqual([trace.id]);
  });
});

describe('while an intern types', () => {
  // A trace last changed 30 s ago, as after the previous minute of typing.
  const changedAgo = async (id: string, seconds: number) =>
    (await api.dataSource.query(`UPDATE trace SET updated_at = now() - make_interval(secs => $2) WHERE id = $1 RETURNING updated_at`, [id, seconds]))[0][0].updated_at as Date;

  it('moves the trace in the lists once a minute, not at every save; the version moves at every save', async () => {
    const [older, trace] = [await draft(), await draft()];
    const before = await changedAgo(trace.id, 30);
    await changedAgo(older.id, 10);
    const saved = await autosave(trace.id, 1, { content: paragraphs('Une phrase de plus.') }).expect(200);
    expect(saved.body.version).toBe(2);
    expect(new Date(saved.body.updatedAt)).toEqual(before);
    const listed = async () => ((await api.http.get('/api/traces').query({ internId: intern.user.id }).set('Authorization', intern.bearer).expect(200)).body.items as { id: string }[]).map((t) => t.id);
    expect((await listed()).indexOf(older.id)).toBeLessThan((await listed()).indexOf(trace.id));

    // Past the minute, the next save moves it to the top.
    await changedAgo(trace.id, 61);
    const moved = await autosave(trace.id, 2, { content: paragraphs('Une phrase de plus, et une autre.') }).expect(200);
    expect(Date.now() - new Date(moved.body.updatedAt).getTime()).toBeLessThan(10_000);
    expect((await listed())[0]).toBe(trace.id);
  });

  it('indexes the text for search once the intern stops typing, not while they type', async () => {
    const trace = await draft(paragraphs('Une consultation pour une angine.'));
    await changedAgo(trace.id, 30);
    await autosave(trace.id, 1, { content: paragraphs('Une consultation pour une otite.') }).expect(200);
    // Saved just now: left for later by an indexer waiting 10 s of quiet, found by a search at once.
    await api.worker!.get(SearchIndexProcessor).indexStale(10_000);
    const [{ search_stale: stale }] = await api.dataSource.query(`SELECT search_stale FROM trace WHERE id = $1`, [trace.id]);
    expect(stale).toBe(true);
    expect(await found('otite')).toContain(trace.id);
  });

  it('gives every save a new portfolio state, so an export asked after it is made again', async () => {
    const trace = await draft();
    await changedAgo(trace.id, 30);
    const exports = api.app.get(ExportRepository);
    const first = await exports.portfolioStamp(intern.user.id);
    await autosave(trace.id, 1, { content: paragraphs('Une correction.') }).expect(200);
    const second = await exports.portfolioStamp(intern.user.id);
    await autosave(trace.id, 2, { content: paragraphs('Une autre correction.') }).expect(200);
    const third = await exports.portfolioStamp(intern.user.id);
    expect(new Set([first, second, third]).size).toBe(3);
  });
});

describe('an autosave sending only the blocks that changed (contentDelta)', () => {
  const long = (n: number) => paragraphs(...Array.from({ length: n }, (_, i) => `Paragraphe ${i + 1} du récit, ${'é'.repeat(i)} 🩺 suivi.`));
  const storedText = async (id: string) => ((await api.dataSource.query(`SELECT content_text FROM trace WHERE id = $1`, [id])) as { content_text: string }[])[0].content_text;
  const wholeSaved = async (content: unknown) => {
    const other = await draft(content as ReturnType<typeof paragraphs>);
    return { content: (await read(other.id)).content, text: await storedText(other.id) };
  };

  it('saves what a whole-document save would: the same content, the same searchable text', async () => {
    const trace = await draft(long(12));
    const changed = paragraphs(...long(12).content.map((block, i) => (i === 4 ? 'Finalement une méningite 🧠 chez un enfant.' : block.content[0].text)));
    const saved = await autosave(trace.id, 1, { contentDelta: { blocks: 12, from: 4, to: 5, insert: [changed.content[4]] } }).expect(200);
    expect(saved.headers.etag).toBe('"2"');
    expect(saved.body).not.toHaveProperty('content');
    const expected = await wholeSaved(changed);
    expect((await read(trace.id)).content).toEqual(expected.content);
    expect(await storedText(trace.id)).toBe(expected.text);
    expect(await found('méningite')).toContain(trace.id);

    // Blocks added, removed, and a save of the title only in between: each applies to the version before it.
    await autosave(trace.id, 2, { title: 'Méningite' }).expect(200);
    const shorter = paragraphs(...changed.content.slice(0, 10).map((block) => block.content[0].text), 'Conclusion 👶 à revoir.');
    await autosave(trace.id, 3, { contentDelta: { blocks: 12, from: 10, to: 12, insert: [shorter.content[10]] } }).expect(200);
    const again = await wholeSaved(shorter);
    expect((await read(trace.id)).content).toEqual(again.content);
    expect(await storedText(trace.id)).toBe(again.text);
  });

  it('answers with the whole trace to a client that did not ask for less', async () => {
    const trace = await draft(paragraphs('un', 'deux'));
    const saved = await autosave(trace.id, 1, { contentDelta: { blocks: 2, from: 1, to: 2, insert: paragraphs('trois').content } }, null).expect(200);
    expect(saved.body.content).toEqual(paragraphs('un', 'trois'));
  });

  it('applies a delta to a version this server did not save (after a review), read from the database', async () => {
    const trace = await draft(paragraphs('Avant relecture.', 'Deuxième paragraphe.'));
    await api.http.post(`/api/traces/${trace.id}/submit`).set('Authorization', intern.bearer).expect(200);
    const back = await api.http.post(`/api/traces/${trace.id}/request-changes`).set('Authorization', tutor.bearer).send({ comment: 'Développez.' }).expect(200);
    const version = back.body.version as number;
    await autosave(trace.id, version, { contentDelta: { blocks: 2, from: 0, to: 1, insert: paragraphs('Après relecture, développé.').content } }).expect(200);
    expect((await read(trace.id)).content).toEqual(paragraphs('Après relecture, développé.', 'Deuxième paragraphe.'));
  });

  it('keeps every refusal: 428, 412 for a stale version, 409 once submitted, 422 for a faulty block or a delta that does not fit', async () => {
    const trace = await draft(paragraphs('un', 'deux', 'trois'));
    const delta = (text: string, blocks = 3) => ({ contentDelta: { blocks, from: 1, to: 2, insert: paragraphs(text).content } });
    await autosave(trace.id, undefined, delta('sans version')).expect(428);
    await autosave(trace.id, 1, delta('la bonne version')).expect(200);
    await autosave(trace.id, 1, delta('un onglet en retard')).expect(412);
    expect((await read(trace.id)).content).toEqual(paragraphs('un', 'la bonne version', 'trois'));

    const faulty = await autosave(trace.id, 2, { contentDelta: { blocks: 3, from: 0, to: 1, insert: [{ type: 'heading', attrs: { level: 9 }, content: [{ type: 'text', text: 'T' }] }] } }).expect(422);
    expect(faulty.body.errors).toEqual([{ path: 'contentDelta.insert[0].attrs.level', message: 'niveau de titre entre 1 et 4' }]);
    const drifted = await autosave(trace.id, 2, delta('ailleurs', 4)).expect(422);
    expect(drifted.body.errors).toEqual([{ path: 'contentDelta.blocks', message: 'la version enregistrée a 3 blocs, pas 4 : envoyez le document entier' }]);
    await autosave(trace.id, 2, { contentDelta: { blocks: 3, from: 2, to: 5, insert: [] } }).expect(422);
    const both = await autosave(trace.id, 2, { content: paragraphs('x'), ...delta('y') }).expect(422);
    expect(both.body.errors).toEqual([{ path: 'contentDelta', message: 'sans objet avec « content »' }]);
    await autosave(trace.id, 2, { contentDelta: 'un, deux' }).expect(422);
    expect((await read(trace.id)).content).toEqual(paragraphs('un', 'la bonne version', 'trois'));
    // The whole document, as the editor falls back to, still saves.
    await autosave(trace.id, 2, { content: paragraphs('un', 'deux') }).expect(200);

    await api.http.post(`/api/traces/${trace.id}/submit`).set('Authorization', intern.bearer).expect(200);
    await autosave(trace.id, 4, delta('pendant la relecture', 2)).expect(409);
    const other = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2025 });
    await api.http.patch(`/api/traces/${trace.id}`).set('Authorization', other.bearer).set('If-Match', '"4"').send(delta('pas à moi', 2)).expect(404);
  });

  it('loses no write when two tabs send a delta against the same version at once', async () => {
    const trace = await draft(paragraphs('début', 'milieu', 'fin'));
    const results = await Promise.all(['onglet A', 'onglet B'].map((text) => autosave(trace.id, 1, { contentDelta: { blocks: 3, from: 1, to: 2, insert: paragraphs(text).content } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    const text = (await read(trace.id)).content.content[1].content[0].text;
    expect(['onglet A', 'onglet B']).toContain(text);
  });

  it('leaves the revision and the validation stamp as a whole save leaves them', async () => {
    const trace = await draft(paragraphs('Le récit.', 'À compléter.'));
    const content = paragraphs('Le récit.', 'Complété par un delta.');
    await autosave(trace.id, 1, { contentDelta: { blocks: 2, from: 1, to: 2, insert: [content.content[1]] } }).expect(200);
    await api.http.post(`/api/traces/${trace.id}/submit`).set('Authorization', intern.bearer).expect(200);
    const revision = await api.http.get(`/api/traces/${trace.id}/revisions/1`).set('Authorization', tutor.bearer).expect(200);
    expect(revision.body.content).toEqual(content);
    const validated = await api.http.post(`/api/traces/${trace.id}/validate`).set('Authorization', tutor.bearer).send({}).expect(200);
    expect(validated.body.validatedSha256).toBe(sha256Hex(canonicalJson(content)));
  });
});
