import { useCallback, useEffect, useRef, useState } from 'react';
import { blockDelta } from '@carnet/editor';
import { canonical, EditorJson } from '../../editor/text-diff';

/**
 * The trace editor's autosave: what the intern typed is saved two seconds after they stop, with
 * If-Match; kept on this device across reloads and network cuts; a save made elsewhere meanwhile
 * is a conflict the intern settles. Once the editor knows what the server holds at its version, a
 * save sends only the blocks that changed (`contentDelta`), and the whole document when it does not.
 * The rules are the pure `autosaveReducer` (no DOM, tested with Jest); `useAutosave` runs them.
 */

export type SaveState = 'saved' | 'dirty' | 'saving' | 'offline' | 'conflict';

export interface Draft {
  version: number;
  title: string;
  content: EditorJson;
  competences: string[];
  familles: string[];
}

export const SAVE_STATE_LABELS: Record<SaveState, string> = {
  saved: 'Enregistré',
  dirty: 'Modifications non enregistrées',
  saving: 'Enregistrement…',
  offline: 'Hors ligne — vos modifications sont gardées sur cet appareil',
  conflict: 'Conflit',
};

export interface AutosaveState {
  status: SaveState;
  draft: Draft | null;
  /** The content the server holds at `draft.version`, as far as this editor knows; null: unknown (the whole document is sent). */
  base: EditorJson | null;
}

export type AutosaveEvent =
  /** The trace as the server has it, and the copy kept on this device, if any (already dropped if it says nothing new). */
  | { type: 'loaded'; server: Draft; local: Draft | null }
  | { type: 'edited'; patch: Partial<Omit<Draft, 'version'>> }
  | { type: 'saving' }
  /** `sent` was saved as `version`. */
  | { type: 'saved'; sent: Draft; version: number }
  | { type: 'conflict' }
  | { type: 'offline' }
  | { type: 'failed' }
  /** « Garder mes modifications »: the draft goes on top of the version saved elsewhere, whose content is `content`. */
  | { type: 'keptMine'; version: number; content: EditorJson };

export const initialAutosave: AutosaveState = { status: 'saved', draft: null, base: null };

/** Whether two drafts say the same (the version aside; keys in any order, as the server's jsonb gives them). */
export const sameText = (a: Draft, b: Draft) => canonical({ ...a, version: 0 }) === canonical({ ...b, version: 0 });

export function autosaveReducer(state: AutosaveState, event: AutosaveEvent): AutosaveState {
  switch (event.type) {
    case 'loaded': {
      const { server, local } = event;
      // A copy of the version loaded: restored, still to save. Of another version: saved elsewhere since.
      if (local && local.version === server.version) return { status: 'dirty', draft: local, base: server.content };
      if (local) return { status: 'conflict', draft: local, base: null };
      return { status: 'saved', draft: server, base: server.content };
    }
    case 'edited': {
      if (!state.draft) return state;
      const draft = { ...state.draft, ...event.patch };
      // The editor normalises its document once loaded: an identical document is not a change.
      if (sameText(draft, state.draft)) return state;
      return { ...state, draft, status: state.status === 'conflict' ? 'conflict' : 'dirty' };
    }
    case 'saving':
      return state.draft ? { ...state, status: 'saving' } : state;
    case 'saved': {
      if (!state.draft) return state;
      // Typing may have continued while saving: what was typed since stays to be saved.
      const draft = { ...state.draft, version: event.version };
      return { draft, base: event.sent.content, status: sameText(state.draft, event.sent) ? 'saved' : 'dirty' };
    }
    case 'conflict':
      return { ...state, status: 'conflict' };
    case 'offline':
      return { ...state, status: 'offline' };
    case 'failed':
      return { ...state, status: 'dirty' };
    case 'keptMine':
      return state.draft ? { draft: { ...state.draft, version: event.version }, base: event.content, status: 'dirty' } : state;
  }
}

/** The PATCH a save sends: the draft's fields, its content as the blocks changed since `base` when it is known. */
export function saveRequest(state: AutosaveState, whole = false): { ifMatch: string; body: Record<string, unknown> } | null {
  const { draft, base } = state;
  if (!draft) return null;
  const body: Record<string, unknown> = { title: draft.title || 'Sans titre', competences: draft.competences, familles: draft.familles };
  if (whole || base === null) body.content = draft.content;
  else {
    const delta = blockDelta(base, draft.content, canonical);
    if (delta) body.contentDelta = delta;
    // Not a document of blocks on one side or the other: the whole, which the server checks.
    else if (canonical(base) !== canonical(draft.content)) body.content = draft.content;
  }
  return { ifMatch: `"${draft.version}"`, body };
}

/** Where the draft is kept on this device (the browser's localStorage). */
export interface DraftStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface AutosaveOptions<Saved extends { version: number }> {
  /** Sends a save; resolves with the saved trace (at least its version), rejects with an error carrying the HTTP `status` (0 offline). */
  send: (ifMatch: string, body: Record<string, unknown>) => Promise<Saved>;
  store: DraftStore;
  /** Calls `listener` when the browser is back online; returns how to stop. */
  onOnline: (listener: () => void) => () => void;
  /** The saved trace, for the page to show its new metadata. */
  onSaved?: (saved: Saved) => void;
  onError?: (error: unknown) => void;
}

export const AUTOSAVE_MS = 2000;
const OFFLINE_RETRY_MS = 5000;
const storageKey = (id: string) => `carnet:brouillon:${id}`;
const statusOf = (error: unknown) => (error as { status?: unknown } | null)?.status;

/** The autosave of trace `id`: its state, and what the page calls on load, on each edit, before submitting, and to settle a conflict. */
export function useAutosave<Saved extends { version: number }>(id: string, options: AutosaveOptions<Saved>) {
  const stateRef = useRef<AutosaveState>(initialAutosave);
  const [state, setState] = useState<AutosaveState>(initialAutosave);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  /** The save under way: a second one waits for it, as it must name the version the first one makes. */
  const inFlight = useRef<Promise<void> | null>(null);

  const dispatch = useCallback((event: AutosaveEvent) => {
    stateRef.current = autosaveReducer(stateRef.current, event);
    setState(stateRef.current);
    return stateRef.current;
  }, []);

  const keepLocally = useCallback(() => {
    const { draft, status } = stateRef.current;
    if (draft && status !== 'saved') optionsRef.current.store.setItem(storageKey(id), JSON.stringify(draft));
    else optionsRef.current.store.removeItem(storageKey(id));
  }, [id]);

  const later = useCallback((ms: number, run: () => void) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(run, ms);
  }, []);

  const save = useCallback(async (): Promise<void> => {
    if (inFlight.current) {
      await inFlight.current;
      if (stateRef.current.status === 'dirty') await save();
      return;
    }
    const before = stateRef.current;
    const request = saveRequest(before);
    if (!request || !before.draft) return;
    const sent = before.draft;
    dispatch({ type: 'saving' });
    const { send } = optionsRef.current;
    const run = async () => {
      try {
        let saved: Saved;
        try {
          saved = await send(request.ifMatch, request.body);
        } catch (error) {
          // A delta the server cannot apply (its idea of the version differs): the whole document.
          if (!('contentDelta' in request.body) || statusOf(error) !== 422) throw error;
          saved = await send(request.ifMatch, saveRequest(before, true)!.body);
        }
        dispatch({ type: 'saved', sent, version: saved.version });
        keepLocally();
        optionsRef.current.onSaved?.(saved);
      } catch (error) {
        const status = statusOf(error);
        if (status === 412) dispatch({ type: 'conflict' });
        else if (status === 0) {
          dispatch({ type: 'offline' });
          later(OFFLINE_RETRY_MS, () => void save());
        } else {
          dispatch({ type: 'failed' });
          optionsRef.current.onError?.(error);
        }
      }
    };
    inFlight.current = run();
    try {
      await inFlight.current;
    } finally {
      inFlight.current = null;
    }
  }, [dispatch, keepLocally, later]);

  /** The trace as loaded from the server: restores this device's copy if it says something new; returns whether it did. */
  const loaded = useCallback(
    (server: Draft, { editable, discardLocal = false }: { editable: boolean; discardLocal?: boolean }): { draft: Draft; restored: boolean } => {
      const { store } = optionsRef.current;
      const kept = discardLocal ? null : store.getItem(storageKey(id));
      let local = kept ? (JSON.parse(kept) as Draft) : null;
      // A copy that says nothing new, or of a trace no longer editable, is dropped.
      if (discardLocal || (local && (sameText(local, server) || !editable))) {
        store.removeItem(storageKey(id));
        local = null;
      }
      clearTimeout(timer.current);
      const next = dispatch({ type: 'loaded', server, local });
      if (next.status === 'dirty') later(AUTOSAVE_MS, () => void save());
      return { draft: next.draft!, restored: next.status === 'dirty' };
    },
    [dispatch, id, later, save],
  );

  const edit = useCallback(
    (patch: Partial<Omit<Draft, 'version'>>) => {
      const before = stateRef.current;
      const next = dispatch({ type: 'edited', patch });
      if (next === before) return;
      optionsRef.current.store.setItem(storageKey(id), JSON.stringify(next.draft));
      if (next.status !== 'conflict') later(AUTOSAVE_MS, () => void save());
    },
    [dispatch, id, later, save],
  );

  /** « Garder mes modifications »: saves the draft on top of `latest`, the version saved elsewhere. */
  const keepMine = useCallback(
    async (latest: { version: number; content: EditorJson }) => {
      dispatch({ type: 'keptMine', version: latest.version, content: latest.content });
      await save();
    },
    [dispatch, save],
  );

  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => optionsRef.current.onOnline(() => stateRef.current.status === 'offline' && void save()), [save]);

  return { state, save, loaded, edit, keepMine };
}
