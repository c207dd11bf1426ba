import fs from 'node:fs';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { PortfolioData } from './portfolio';
import { portfolioDocument } from './portfolio-pdf';

interface PdfMake {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setLocalAccessPolicy(policy: (path: string) => boolean): void;
  setUrlAccessPolicy?(policy: (url: string) => boolean): void;
  createPdf(document: Record<string, unknown>): { write(file: string): Promise<void> };
}

/**
 * pdfmake lays out the whole document synchronously (seconds for a 300-page portfolio): run
 * there, it would stop the worker from renewing its job locks. So the layout runs in a worker
 * thread; from TypeScript sources (the tests) it runs inline, there being no compiled thread.
 */
export async function renderPortfolioPdf(data: PortfolioData, file: string): Promise<{ pages: number }> {
  const compiled = __filename.endsWith('.js');
  if (!compiled) return renderInline(data, file);
  return new Promise((resolve, reject) => {
    // The thread resolves the @carnet/* aliases of compiled code as scripts/run.js does.
    const dist = path.resolve(__dirname, '../../../..');
    const bootstrap = `require(${JSON.stringify(require.resolve('tsconfig-paths'))}).register({ baseUrl: ${JSON.stringify(dist)}, paths: { '@carnet/*': ['libs/*/src'] } });
require(${JSON.stringify(__filename)});`;
    const thread = new Worker(bootstrap, { eval: true, workerData: { data, file } });
    thread.once('message', (message: { pages?: number; error?: string }) =>
      message.error ? reject(new Error(message.error)) : resolve({ pages: message.pages ?? 0 }),
    );
    thread.once('error', reject);
    thread.once('exit', (code) => code !== 0 && reject(new Error(`PDF thread exited with code ${code}`)));
  });
}

async function renderInline(data: PortfolioData, file: string): Promise<{ pages: number }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pdfmake = require('pdfmake') as PdfMake;
  const fonts = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
  pdfmake.setFonts({
    Roboto: {
      normal: path.join(fonts, 'Roboto-Regular.ttf'),
      bold: path.join(fonts, 'Roboto-Medium.ttf'),
      italics: path.join(fonts, 'Roboto-Italic.ttf'),
      bolditalics: path.join(fonts, 'Roboto-MediumItalic.ttf'),
    },
  });
  // Trace content never loads a file or a URL: only the fonts above are read.
  pdfmake.setLocalAccessPolicy((requested) => requested.startsWith(fonts));
  pdfmake.setUrlAccessPolicy?.(() => false);
  let pages = 0;
  await pdfmake.createPdf(portfolioDocument(data, (count) => (pages = count))).write(file);
  if (!fs.existsSync(file)) throw new Error('the PDF engine wrote nothing');
  return { pages };
}

if (!isMainThread && parentPort && workerData?.file) {
  const { data, file } = workerData as { data: PortfolioData; file: string };
  renderInline(data, file).then(
    (result) => parentPort!.postMessage(result),
    (error: unknown) => parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
}
