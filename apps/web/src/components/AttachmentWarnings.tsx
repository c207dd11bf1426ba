import { useEffect, useId, useRef, useState } from 'react';
import type { AttachmentScanView, AttachmentScanWarningView } from '@carnet/contracts';
import { api } from '../api';

export interface AttachmentWarningsProps {
  attachmentId: string;
  /** The attachment's `scan`, as the upload's answer or the trace's read gave it. */
  scan: AttachmentScanView;
  /** The file's name, to say which attachment the sentence is about. */
  filename?: string;
  /**
   * The trace's author sees the warnings as theirs to act on, and the component records that
   * they were shown (POST /api/attachments/:id/scan/seen, once). A tutor reads them only.
   */
  audience?: 'author' | 'reader';
  /** Told when a pending scan has finished (the component asks the API until it has). */
  onScanChange?: (scan: AttachmentScanView) => void;
}

const KIND_NAMES: Record<string, string> = {
  name: 'un nom de patient',
  birth_date: 'une date de naissance',
  nir: 'un numéro de sécurité sociale (NIR)',
  phone: 'un numéro de téléphone',
  email: 'une adresse e-mail',
  address: 'une adresse postale',
  hospital_id: 'un identifiant hospitalier (IPP, numéro de dossier)',
  age: 'un âge de 90 ans ou plus',
};

/** Asked again while the worker has not scanned the file yet. */
const POLL_MS = 3000;

function pagesText(pages: number[]): string {
  if (pages.length === 0) return '';
  const sorted = [...new Set(pages)].sort((a, b) => a - b);
  if (sorted.length === 1) return ` (page ${sorted[0]})`;
  return ` (pages ${sorted.slice(0, -1).join(', ')} et ${sorted[sorted.length - 1]})`;
}

/** « une date de naissance (page 2), un numéro de téléphone (pages 1 et 3) »: one item per kind, in the order found. */
export function warningsSentence(warnings: AttachmentScanWarningView[]): string {
  const byKind = new Map<string, number[]>();
  for (const warning of warnings) {
    const pages = byKind.get(warning.kind) ?? [];
    if (warning.page !== null) pages.push(warning.page);
    byKind.set(warning.kind, pages);
  }
  return [...byKind].map(([kind, pages]) => `${KIND_NAMES[kind] ?? 'une donnée qui pourrait identifier un patient'}${pagesText(pages)}`).join(', ');
}

/**
 * What the worker's scan found in an attachment: a status region (read out by screen readers
 * when the result arrives) with one sentence and the list of findings. Nothing is blocked: the
 * intern decides whether to keep the file, remove it or replace it with an anonymised copy.
 */
export function AttachmentWarnings({ attachmentId, scan: initial, filename, audience = 'author', onScanChange }: AttachmentWarningsProps) {
  const [scan, setScan] = useState(initial);
  const titleId = useId();
  const reported = useRef<string | null>(null);

  useEffect(() => setScan(initial), [initial]);

  // While pending, ask again; stop once the worker has recorded a result or the view is gone.
  useEffect(() => {
    if (scan.status !== 'pending') return;
    let cancelled = false;
    const timer = window.setTimeout(async () => {
      try {
        const next = await api.get<AttachmentScanView>(`/attachments/${attachmentId}/scan`);
        if (cancelled) return;
        setScan(next);
        if (next.status !== 'pending') onScanChange?.(next);
      } catch {
        if (!cancelled) setScan((current) => ({ ...current })); // try again after the next delay
      }
    }, POLL_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [attachmentId, scan, onScanChange]);

  const shown = scan.status === 'done' && scan.warnings.length > 0;
  // Once shown to the author, say so to the API, once per attachment.
  useEffect(() => {
    if (!shown || audience !== 'author' || scan.warningsSeenAt || reported.current === attachmentId) return;
    reported.current = attachmentId;
    api.post<void>(`/attachments/${attachmentId}/scan/seen`).catch(() => {
      reported.current = null; // not recorded: the next render that shows it tries again
    });
  }, [shown, audience, attachmentId, scan.warningsSeenAt]);

  const subject = filename ? `La pièce jointe « ${filename} »` : 'Cette pièce jointe';

  if (scan.status === 'pending') {
    return (
      <p className="attachment-scan" role="status">
        {subject} est en cours de vérification (données qui pourraient identifier un patient).
      </p>
    );
  }
  if (scan.status === 'failed') {
    return (
      <p className="attachment-scan alert info" role="status">
        {subject} n’a pas pu être vérifiée{scan.reason ? ` : ${scan.reason}` : '.'} Relisez-la vous-même avant de la garder.
      </p>
    );
  }
  if (!shown) {
    return (
      <p className="attachment-scan" role="status">
        {subject} : aucune donnée identifiant un patient n’a été repérée.
      </p>
    );
  }
  return (
    <section className="attachment-scan alert warning" role="status" aria-labelledby={titleId}>
      <p id={titleId}>
        <strong>
          {subject} semble contenir : {warningsSentence(scan.warnings)}.
        </strong>
      </p>
      <ul>
        {scan.warnings.map((warning, i) => (
          <li key={i}>
            {warning.page !== null && <span>Page {warning.page} : </span>}
            {warning.message}
          </li>
        ))}
      </ul>
      <p>
        {audience === 'author'
          ? 'Vous pouvez la garder, la retirer ou la remplacer par une copie anonymisée : c’est à vous de décider.'
          : scan.warningsSeenAt
            ? `L’interne en a été averti·e le ${new Date(scan.warningsSeenAt).toLocaleDateString('fr-FR')}.`
            : 'L’interne n’a pas encore vu cet avertissement.'}
      </p>
    </section>
  );
}
