/**
 * bench/identifiers: the patient-identifier scan on a 10-page RSCA (the shared fixture's RSCA,
 * its plain text repeated to about 30,000 characters, some 10 pages of typed French), and on
 * the labelled corpus as one text (a page dense with identifiers). Prints the median time per
 * scan and its ratio to baselines measured in the same run on the same text: a plain
 * `toLowerCase()` pass, and one regular expression over the text (the cheapest scan there is).
 *
 *   npm run build && node scripts/run.js dist/bench/identifiers.js
 *   BENCH_RUNS=500 node scripts/run.js dist/bench/identifiers.js
 */
import fs from 'node:fs';
import path from 'node:path';
import { findPatientIdentifiers } from '@carnet/domain';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const PAGE_CHARACTERS = 3_000;
const PAGES = 10;

/** The repository's root, from bench/ under ts-node or from dist/bench/ once compiled. */
function root(): string {
  for (const candidate of [path.resolve(__dirname, '..'), path.resolve(__dirname, '../..')]) {
    if (fs.existsSync(path.join(candidate, 'test/fixtures/identifiers/corpus.jsonl'))) return candidate;
  }
  throw new Error('run from the repository (bench/) or its build (dist/bench/)');
}

interface Node {
  type: string;
  text?: string;
  content?: Node[];
}

/** Blocks on their own lines, as the editor's plainText gives the scan its text. */
function plainText(node: Node): string {
  if (node.text !== undefined) return node.text;
  const parts = (node.content ?? []).map(plainText);
  return node.type === 'paragraph' || node.type === 'heading' || node.type === 'text' ? parts.join('') : parts.join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(run: () => unknown): number {
  for (let i = 0; i < Math.min(20, RUNS); i++) run(); // warm-up: compiled regular expressions, JIT
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function main(): void {
  const base = root();
  const rsca = JSON.parse(fs.readFileSync(path.resolve(base, '../shared/fixtures/rsca-douleur-thoracique.json'), 'utf8'));
  const one = plainText(rsca.content);
  const rscaText = Array.from({ length: Math.ceil((PAGES * PAGE_CHARACTERS) / one.length) }, () => one).join('\n');
  const corpusText = fs
    .readFileSync(path.join(base, 'test/fixtures/identifiers/corpus.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { text: string }).text)
    .join('\n');

  const email = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
  console.log(`${RUNS} runs each, median per scan`);
  console.log(`${'text'.padEnd(34)} ${'chars'.padStart(7)} ${'warnings'.padStart(8)} ${'scan ms'.padStart(8)} ${'lower ms'.padStart(9)} ${'ratio'.padStart(7)} ${'1 regex ms'.padStart(10)} ${'ratio'.padStart(7)}`);
  for (const [name, text] of [
    [`RSCA, ${PAGES} pages`, rscaText],
    ['corpus as one text', corpusText],
  ] as const) {
    const warnings = findPatientIdentifiers(text).length;
    const scan = time(() => findPatientIdentifiers(text));
    const lower = time(() => text.toLowerCase());
    const regex = time(() => [...text.matchAll(email)].length);
    console.log(
      `${name.padEnd(34)} ${String(text.length).padStart(7)} ${String(warnings).padStart(8)} ${scan.toFixed(3).padStart(8)} ${lower.toFixed(3).padStart(9)} ${(scan / lower).toFixed(0).padStart(6)}× ${regex.toFixed(3).padStart(10)} ${(scan / regex).toFixed(0).padStart(6)}×`,
    );
  }
}

main();
