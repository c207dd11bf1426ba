import { canonicalJson, DocumentValidatorCache, validateDocument } from '@carnet/editor';
import { AutosaveEvent, AutosaveState, autosaveReducer, Draft, initialAutosave, saveRequest } from './useAutosave';

const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const doc = (...texts: string[]) => ({ type: 'doc', content: texts.map(paragraph) });
const draft = (version: number, ...texts: string[]): Draft => ({ version, title: 'Consultation du lundi', content: doc(...texts), competences: ['relation'], familles: ['chronique'] });
const run = (...events: AutosaveEvent[]) => events.reduce<AutosaveState>(autosaveReducer, initialAutosave);
/** The same document as the server's jsonb gives it back: keys in another order. */
const reordered = <T>(value: T): T =>
  JSON.parse(JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v)));

describe('the trace editor’s autosave', () => {
  const server = draft(3, 'Un premier jet.', 'Deuxième paragraphe.', 'Troisième.');

  it('shows the trace as saved once loaded, and knows what the server holds', () => {
    expect(run({ type: 'loaded', server, local: null })).toEqual({ status: 'saved', draft: server, base: server.content });
  });

  it('restores this device’s copy of the version loaded, still to save; a copy of another version is a conflict', () => {
    const local = draft(3, 'Un premier jet, complété hors ligne.', 'Deuxième paragraphe.', 'Troisième.');
    expect(run({ type: 'loaded', server, local })).toEqual({ status: 'dirty', draft: local, base: server.content });
    expect(run({ type: 'loaded', server, local: { ...local, version: 2 } })).toMatchObject({ status: 'conflict', base: null });
  });

  it('takes an edit as a change only if it says something new (the editor’s own normalisation is none)', () => {
    const loaded = run({ type: 'loaded', server, local: null });
    expect(autosaveReducer(loaded, { type: 'edited', patch: { content: reordered(server.content) } })).toBe(loaded);
    const edited = autosaveReducer(loaded, { type: 'edited', patch: { title: 'Lundi matin' } });
    expect(edited).toMatchObject({ status: 'dirty', draft: { title: 'Lundi matin', version: 3 } });
    const inConflict = autosaveReducer({ ...loaded, status: 'conflict' }, { type: 'edited', patch: { title: 'Autre' } });
    expect(inConflict.status).toBe('conflict');
  });

  it('sends only the paragraph typed in, against the version it names', () => {
    const state = run({ type: 'loaded', server: { ...server, content: reordered(server.content) }, local: null }, { type: 'edited', patch: { content: doc('Un premier jet.', 'Deuxième paragraphe, réécrit.', 'Troisième.') } });
    expect(saveRequest(state)).toEqual({
      ifMatch: '"3"',
      body: { title: 'Consultation du lundi', competences: ['relation'], familles: ['chronique'], contentDelta: { blocks: 3, from: 1, to: 2, insert: [paragraph('Deuxième paragraphe, réécrit.')] } },
    });
    // A title alone sends no content; asked for the whole document, it sends it.
    const titled = run({ type: 'loaded', server, local: null }, { type: 'edited', patch: { title: '' } });
    expect(saveRequest(titled)!.body).toEqual({ title: 'Sans titre', competences: ['relation'], familles: ['chronique'] });
    expect(saveRequest(state, true)!.body.content).toEqual(state.draft!.content);
  });

  it('sends the whole document when it does not know what the server holds', () => {
    const state = run({ type: 'loaded', server, local: draft(2, 'Écrit ailleurs.') });
    expect(saveRequest(state)!.body).toMatchObject({ content: doc('Écrit ailleurs.') });
    expect(saveRequest(state)!.body).not.toHaveProperty('contentDelta');
  });

  it('once saved, names the new version and computes the next delta against what it sent; what was typed meanwhile stays to save', () => {
    const sent = draft(3, 'Un premier jet.', 'Deuxième paragraphe.', 'Troisième, complété.');
    let state = run({ type: 'loaded', server, local: null }, { type: 'edited', patch: { content: sent.content } }, { type: 'saving' });
    expect(state.status).toBe('saving');
    state = autosaveReducer(state, { type: 'edited', patch: { content: doc('Un premier jet.', 'Deuxième paragraphe.', 'Troisième, complété.', 'Quatrième.') } });
    state = autosaveReducer(state, { type: 'saved', sent, version: 4 });
    expect(state).toMatchObject({ status: 'dirty', base: sent.content, draft: { version: 4 } });
    expect(saveRequest(state)!.body.contentDelta).toEqual({ blocks: 3, from: 3, to: 3, insert: [paragraph('Quatrième.')] });
    expect(autosaveReducer(run({ type: 'loaded', server, local: null }, { type: 'edited', patch: { title: 'T' } }), { type: 'saved', sent: { ...server, title: 'T' }, version: 4 }).status).toBe('saved');
  });

  it('goes to conflict on a stale version, offline on a network cut, back to unsaved on another failure', () => {
    const editing = run({ type: 'loaded', server, local: null }, { type: 'edited', patch: { title: 'T' } }, { type: 'saving' });
    expect(autosaveReducer(editing, { type: 'conflict' }).status).toBe('conflict');
    expect(autosaveReducer(editing, { type: 'offline' }).status).toBe('offline');
    expect(autosaveReducer(editing, { type: 'failed' }).status).toBe('dirty');
  });

  it('keeps my changes on top of the version saved elsewhere, as a delta against it', () => {
    const conflict = run({ type: 'loaded', server, local: draft(2, 'Un premier jet.', 'Ma version.', 'Troisième.') });
    const elsewhere = doc('Un premier jet.', 'Leur version.', 'Troisième.');
    const kept = autosaveReducer(conflict, { type: 'keptMine', version: 5, content: elsewhere });
    expect(kept).toMatchObject({ status: 'dirty', draft: { version: 5 }, base: elsewhere });
    expect(saveRequest(kept)).toMatchObject({ ifMatch: '"5"', body: { contentDelta: { blocks: 3, from: 1, to: 2, insert: [paragraph('Ma version.')] } } });
  });

  it('sends deltas the server turns into exactly the document typed', () => {
    const documents = new DocumentValidatorCache();
    let state = run({ type: 'loaded', server, local: null });
    let stored = documents.validate(server.content).blocks;
    const edits = [
      doc('Un premier jet.', 'Deuxième paragraphe.', 'Troisième.', 'Quatrième.'),
      doc('Titre', 'Un premier jet.', 'Deuxième paragraphe.', 'Troisième.', 'Quatrième.'),
      doc('Titre', 'Deuxième paragraphe.', 'Quatrième, revu.'),
    ];
    for (const [i, content] of edits.entries()) {
      state = autosaveReducer(state, { type: 'edited', patch: { content } });
      const { body } = saveRequest(state)!;
      stored = documents.apply(stored, JSON.parse(JSON.stringify(body.contentDelta)));
      expect(stored.jsonText).toBe(JSON.stringify(validateDocument(content).json));
      state = autosaveReducer(state, { type: 'saved', sent: state.draft!, version: 4 + i });
    }
    expect(canonicalJson(JSON.parse(stored.jsonText))).toBe(canonicalJson(edits[2]));
  });
});
