import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { PNG } from 'pngjs';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/types/src/display/api';

/** The text of one page of an attachment (`page` null for an image), and whether it was read by OCR. */
export interface PageText {
  page: number | null;
  text: string;
  ocr: boolean;
}

/** The file itself cannot be read (corrupt, encrypted, not what it claims): retrying will not help. */
export class UnreadableAttachmentError extends Error {
  override readonly name = 'UnreadableAttachmentError';
}

export interface ReadOptions {
  /** Stop after this many pages: a bench measures a prefix, the scan reads everything. */
  maxPages?: number;
  /** Skip OCR: a bench's baseline of text extraction alone. */
  ocr?: boolean;
  timeoutMs?: number;
}

/** Long enough for the largest scanned PDF the upload accepts on a busy machine. */
const READ_TIMEOUT_MS = 20 * 60_000;

interface ThreadRequest {
  kind: 'attachment-read';
  file: string;
  mimeType: string;
  options: ReadOptions;
}

type ThreadAnswer = { pages: PageText[] } | { unreadable: string } | { error: string };

/**
 * Reads an attachment's text, page by page: a PDF's text layer with pdfjs, and OCR (tesseract.js,
 * French) for images and for PDF pages that have no text (scans). Both run in a worker thread:
 * pdfjs is an ES module only, which Jest's loader cannot import, and parsing and OCR are long
 * synchronous stretches that would stop the worker from renewing its job locks. The thread runs
 * the compiled file, so tests need `npm run build` first.
 */
export function readAttachmentText(file: string, mimeType: string, options: ReadOptions = {}): Promise<PageText[]> {
  const script = __filename.endsWith('.js') ? __filename : path.resolve(__dirname, '../../../../dist/apps/worker/src/scans/attachment-reader.js');
  return new Promise((resolve, reject) => {
    const request: ThreadRequest = { kind: 'attachment-read', file, mimeType, options };
    const thread = new Worker(script, { workerData: request });
    let settled = false;
    // A file that keeps the reader busy this long would do so again: not worth a retry.
    const timer = setTimeout(() => {
      settled = true;
      reject(new UnreadableAttachmentError('L’analyse du fichier a pris trop de temps : son contenu n’a pas été vérifié.'));
      void thread.terminate();
    }, options.timeoutMs ?? READ_TIMEOUT_MS);
    thread.once('exit', () => clearTimeout(timer));
    thread.once('message', (answer: ThreadAnswer) => {
      settled = true;
      if ('pages' in answer) resolve(answer.pages);
      else if ('unreadable' in answer) reject(new UnreadableAttachmentError(answer.unreadable));
      else reject(new Error(answer.error));
      void thread.terminate();
    });
    thread.once('error', (error) => {
      settled = true;
      reject(error);
    });
    thread.once('exit', (code) => {
      if (!settled) reject(new Error(`the attachment reader thread exited with code ${code}`));
    });
  });
}

// ---- In the thread --------------------------------------------------------------------------

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type Tesseract = typeof import('tesseract.js');
type OcrWorker = Awaited<ReturnType<Tesseract['createWorker']>>;

/** Fewer letters or digits than this on a page: a scan, or a page of drawings; worth an OCR. */
const TEXT_LAYER_MIN_CHARACTERS = 20;
/** Images smaller than this on either side are logos or rules, not a scanned page. */
const MIN_SCAN_SIDE = 100;

const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

class Ocr {
  private worker?: Promise<OcrWorker>;

  /** The French model shipped by @tesseract.js-data/fra, read from disk: nothing is downloaded, nothing cached. */
  private start(): Promise<OcrWorker> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tesseract = require('tesseract.js') as Tesseract;
    return tesseract.createWorker('fra', tesseract.OEM.LSTM_ONLY, {
      langPath: path.join(packageDir('@tesseract.js-data/fra'), '4.0.0_best_int'),
      gzip: true,
      cacheMethod: 'none',
    });
  }

  async read(image: Buffer): Promise<string> {
    this.worker ??= this.start();
    const { data } = await (await this.worker).recognize(image);
    return data.text;
  }

  async close(): Promise<void> {
    if (this.worker) await (await this.worker).terminate();
  }
}

const pdfjsOptions = () => {
  const dir = packageDir('pdfjs-dist');
  return {
    cMapUrl: path.join(dir, 'cmaps') + path.sep,
    cMapPacked: true,
    standardFontDataUrl: path.join(dir, 'standard_fonts') + path.sep,
    wasmUrl: path.join(dir, 'wasm') + path.sep,
    // Raw pixels of images (no OffscreenCanvas, no ImageDecoder in Node), no eval of fonts.
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    isEvalSupported: false,
    disableFontFace: true,
    verbosity: 0,
  };
};

async function readPdf(pdfjs: PdfJs, data: Uint8Array, ocr: Ocr | null, maxPages: number): Promise<PageText[]> {
  let document: PDFDocumentProxy;
  try {
    document = await pdfjs.getDocument({ data, ...pdfjsOptions() }).promise;
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') throw new UnreadableAttachmentError('Le PDF est protégé par un mot de passe : son contenu n’a pas pu être analysé.');
    throw new UnreadableAttachmentError('Le PDF est illisible (fichier endommagé ou incomplet) : son contenu n’a pas pu être analysé.');
  }
  try {
    const pages: PageText[] = [];
    for (let number = 1; number <= Math.min(document.numPages, maxPages); number++) {
      const page = await document.getPage(number);
      const text = await pageText(page);
      if (ocr && text.replace(/[^\p{L}\p{N}]/gu, '').length < TEXT_LAYER_MIN_CHARACTERS) {
        const images = await pageImages(pdfjs, page);
        if (images.length) {
          const read: string[] = [];
          for (const image of images) read.push(await ocr.read(image));
          pages.push({ page: number, text: [text, ...read].join('\n'), ocr: true });
          page.cleanup();
          continue;
        }
      }
      pages.push({ page: number, text, ocr: false });
      page.cleanup();
    }
    return pages;
  } finally {
    await document.destroy();
  }
}

async function pageText(page: PDFPageProxy): Promise<string> {
  const content = await page.getTextContent();
  let text = '';
  for (const item of content.items) {
    if (!('str' in item)) continue;
    text += item.str + (item.hasEOL ? '\n' : '');
  }
  return text;
}

interface RawImage {
  width: number;
  height: number;
  kind?: number;
  data?: Uint8Array | Uint8ClampedArray;
}

/** The page's images as PNG, from its operator list: pdfjs decodes them to raw pixels without a canvas. */
async function pageImages(pdfjs: PdfJs, page: PDFPageProxy): Promise<Buffer[]> {
  const { fnArray, argsArray } = await page.getOperatorList();
  const images: Buffer[] = [];
  for (let i = 0; i < fnArray.length; i++) {
    let image: RawImage | null = null;
    if (fnArray[i] === pdfjs.OPS.paintImageXObject || fnArray[i] === pdfjs.OPS.paintImageXObjectRepeat) {
      const name = (argsArray[i] as unknown[])[0] as string;
      const objects = name.startsWith('g_') ? page.commonObjs : page.objs;
      image = await new Promise<RawImage | null>((resolve) => objects.get(name, (found: RawImage | null) => resolve(found)));
    } else if (fnArray[i] === pdfjs.OPS.paintInlineImageXObject) {
      image = (argsArray[i] as unknown[])[0] as RawImage;
    }
    if (!image?.data || image.width < MIN_SCAN_SIDE || image.height < MIN_SCAN_SIDE) continue;
    images.push(toPng(pdfjs, image as Required<RawImage>));
  }
  return images;
}

/** As PNG, without a pass over the pixels when pdfjs gave RGB or RGBA; fast compression, read once by tesseract. */
function toPng(pdfjs: PdfJs, image: Required<RawImage>): Buffer {
  const { width, height, data, kind } = image;
  let pixels: Buffer;
  let colorType: 0 | 2 | 6;
  if (kind === pdfjs.ImageKind.RGBA_32BPP || kind === pdfjs.ImageKind.RGB_24BPP) {
    colorType = kind === pdfjs.ImageKind.RGBA_32BPP ? 6 : 2;
    pixels = Buffer.from(data.buffer, data.byteOffset, width * height * (colorType === 6 ? 4 : 3));
  } else {
    // One bit per pixel, rows padded to a byte, 1 = white: to one grey byte per pixel.
    colorType = 0;
    pixels = Buffer.alloc(width * height);
    const rowBytes = (width + 7) >> 3;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) pixels[y * width + x] = data[y * rowBytes + (x >> 3)] & (0x80 >> (x & 7)) ? 255 : 0;
    }
  }
  const png = new PNG();
  png.width = width;
  png.height = height;
  png.data = pixels;
  return PNG.sync.write(png, { colorType, inputColorType: colorType, deflateLevel: 1 });
}

async function readInThread(request: ThreadRequest): Promise<PageText[]> {
  const fs = await import('node:fs/promises');
  const data = await fs.readFile(request.file);
  const ocr = request.options.ocr === false ? null : new Ocr();
  try {
    if (request.mimeType === 'application/pdf') {
      const pdfjs: PdfJs = await import('pdfjs-dist/legacy/build/pdf.mjs');
      return await readPdf(pdfjs, new Uint8Array(data), ocr, request.options.maxPages ?? Infinity);
    }
    if (!ocr) return [];
    try {
      return [{ page: null, text: await ocr.read(data), ocr: true }];
    } catch (error) {
      throw new UnreadableAttachmentError(`L’image est illisible : son contenu n’a pas pu être analysé.`);
    }
  } finally {
    await ocr?.close();
  }
}

if (!isMainThread && parentPort && (workerData as ThreadRequest | undefined)?.kind === 'attachment-read') {
  const port = parentPort;
  readInThread(workerData as ThreadRequest).then(
    (pages) => port.postMessage({ pages } satisfies ThreadAnswer),
    (error: unknown) =>
      port.postMessage(
        (error instanceof UnreadableAttachmentError ? { unreadable: error.message } : { error: error instanceof Error ? error.message : String(error) }) satisfies ThreadAnswer,
      ),
  );
}
