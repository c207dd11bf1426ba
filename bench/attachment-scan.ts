/**
 * bench/attachment-scan: the worker's scan of an attachment for patient identifiers, on a
 * 20-page text PDF and a 20-page scanned PDF (one A4 page of a letter rendered to a grey JPEG
 * by pdftoppm, as a scanner would, repeated): seconds, and the ratio to the baseline measured
 * in the same run, pdfjs's text extraction alone (what pdftotext does) of the text PDF. The
 * reader runs in its worker thread as in the worker; queue, database and storage are left out.
 *
 *   npm run build && node scripts/run.js dist/bench/attachment-scan.js
 *   BENCH_PAGES=5 BENCH_DPI=200 node scripts/run.js dist/bench/attachment-scan.js
 *
 * Needs poppler-utils (pdftoppm) for the scanned page.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pdfmake from 'pdfmake';
import type { Content } from 'pdfmake';
import { readAttachmentText } from '../apps/worker/src/scans/attachment-reader';
import { warningsOf } from '../apps/worker/src/scans/attachment-scan.processor';

const PAGES = Number(process.env.BENCH_PAGES ?? 20);
const DPI = Number(process.env.BENCH_DPI ?? 150);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const fonts = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
pdfmake.setFonts({ Roboto: { normal: path.join(fonts, 'Roboto-Regular.ttf'), bold: path.join(fonts, 'Roboto-Medium.ttf'), italics: path.join(fonts, 'Roboto-Italic.ttf'), bolditalics: path.join(fonts, 'Roboto-MediumItalic.ttf') } });
pdfmake.setLocalAccessPolicy((requested) => requested.startsWith(fonts));
pdfmake.setUrlAccessPolicy(() => false);

/** A hospital letter: a header with the patient's identifiers, then prose filling the page. */
const letterPage = (n: number): Content[] => [
  { text: 'Centre hospitalier — Service de médecine polyvalente', bold: true, fontSize: 13, margin: [0, 0, 0, 8] },
  { text: `Montpellier, le 2 décembre 2026 — page ${n}`, margin: [0, 0, 0, 8] },
  'Patiente : Mme Durand, née le 12/05/1948. Téléphone : 06 12 34 56 78.',
  { text: 'NIR : 2 48 05 34 172 005 81', margin: [0, 0, 0, 10] },
  ...Array.from({ length: 9 }, () =>
    ({ text: 'Cher confrère, je vous remercie de m’avoir adressé votre patiente pour une décompensation cardiaque. Elle a bien répondu au traitement diurétique ; la fonction rénale est restée stable pendant le séjour et le poids de sortie est noté dans le carnet de suivi.', margin: [0, 0, 0, 6] }) as Content,
  ),
];

const pdf = (pages: Content[][]) =>
  pdfmake.createPdf({ pageSize: 'A4', content: pages.map((page, i) => ({ stack: page, ...(i ? { pageBreak: 'before' as const } : {}) })) }).getBuffer();

/** The median of `runs` runs, in seconds, and what the last run gave. */
async function timed<T>(runs: number, work: () => Promise<T>): Promise<[number, T]> {
  const seconds: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    result = await work();
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  return [seconds.sort((a, b) => a - b)[Math.floor(seconds.length / 2)], result];
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-scan-'));
  try {
    const textPdf = path.join(dir, 'text.pdf');
    fs.writeFileSync(textPdf, await pdf(Array.from({ length: PAGES }, (_, i) => letterPage(i + 1))));
    // One scanned page: the letter's first page as pixels, then that image on every page.
    const onePage = path.join(dir, 'one.pdf');
    fs.writeFileSync(onePage, await pdf([letterPage(1)]));
    execFileSync('pdftoppm', ['-r', String(DPI), '-gray', '-jpeg', '-jpegopt', 'quality=75', '-singlefile', onePage, path.join(dir, 'scan')]);
    const jpeg = fs.readFileSync(path.join(dir, 'scan.jpg')).toString('base64');
    const scannedPdf = path.join(dir, 'scanned.pdf');
    fs.writeFileSync(scannedPdf, await pdf(Array.from({ length: PAGES }, () => [{ image: `data:image/jpeg;base64,${jpeg}`, width: 515 }])));

    const results: string[] = [];
    const scan = async (file: string) => warningsOf(await readAttachmentText(file, 'application/pdf'));
    const [baseline] = await timed(RUNS, () => readAttachmentText(textPdf, 'application/pdf', { ocr: false }));
    results.push(`baseline, pdfjs text extraction of the ${PAGES}-page text PDF: ${baseline.toFixed(2)} s`);
    const [text, textWarnings] = await timed(RUNS, () => scan(textPdf));
    results.push(`scan of the ${PAGES}-page text PDF: ${text.toFixed(2)} s (${(text / baseline).toFixed(1)}× baseline), ${textWarnings.length} warnings`);
    const [scanned, scannedWarnings] = await timed(1, () => scan(scannedPdf));
    results.push(`scan of the ${PAGES}-page scanned PDF (${DPI} dpi, OCR): ${scanned.toFixed(1)} s (${(scanned / baseline).toFixed(0)}× baseline, ${(scanned / PAGES).toFixed(2)} s a page), ${scannedWarnings.length} warnings`);
    console.log(`${PAGES} pages, ${os.cpus().length} cores (load average ${os.loadavg()[0].toFixed(1)} at the end), median of ${RUNS} runs (OCR: 1 run)`);
    for (const line of results) console.log(line);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
