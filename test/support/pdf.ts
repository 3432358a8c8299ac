import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

const run = promisify(execFile);

async function withPdfFile<T>(pdf: Buffer, use: (file: string, dir: string) => Promise<T>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'entitle-pdf-'));
  try {
    const file = path.join(dir, 'receipt.pdf');
    await writeFile(file, pdf);
    return await use(file, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The PDF's text as poppler's pdftotext reads it (poppler-utils, installed by .ci/run). */
export function pdfText(pdf: Buffer): Promise<string> {
  return withPdfFile(pdf, async (file) => (await run('pdftotext', ['-layout', file, '-'])).stdout);
}

/** Every page rendered by pdftoppm at `dpi`, as PNG buffers in page order. */
export function pdfPagesAsPng(pdf: Buffer, dpi = 200): Promise<Buffer[]> {
  return withPdfFile(pdf, async (file, dir) => {
    await run('pdftoppm', ['-r', String(dpi), '-png', file, path.join(dir, 'page')]);
    const pages = (await readdir(dir)).filter((name) => name.endsWith('.png')).sort();
    return Promise.all(pages.map((name) => readFile(path.join(dir, name))));
  });
}

type Rgba = { data: Uint8ClampedArray; width: number; height: number };

/** jsQR finds one symbol per call: decode, paint the symbol white, and search again. */
function decodeEach(image: Rgba): string[] {
  const found: string[] = [];
  for (let attempt = 0; attempt < 20; attempt++) {
    const result = jsQR(image.data, image.width, image.height);
    if (result === null) break;
    found.push(result.data);
    const { topLeftCorner, topRightCorner, bottomLeftCorner, bottomRightCorner } = result.location;
    const corners = [topLeftCorner, topRightCorner, bottomLeftCorner, bottomRightCorner];
    const margin = 12;
    const x0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c.x))) - margin);
    const x1 = Math.min(image.width, Math.ceil(Math.max(...corners.map((c) => c.x))) + margin);
    const y0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c.y))) - margin);
    const y1 = Math.min(image.height, Math.ceil(Math.max(...corners.map((c) => c.y))) + margin);
    for (let y = y0; y < y1; y++) {
      image.data.fill(255, (y * image.width + x0) * 4, (y * image.width + x1) * 4);
    }
  }
  return found;
}

/**
 * Every QR code in a PNG, decoded by jsQR (a decoder this project did not write). jsQR is built
 * for one symbol per image and gets lost among several, so the page is read in overlapping
 * horizontal bands a little taller than one symbol; the set of everything found is returned.
 */
export function decodeAllQrs(png: Buffer, band = 480, step = 120): string[] {
  const image = PNG.sync.read(png);
  const found = new Set<string>();
  for (let top = 0; top < image.height; top += step) {
    const height = Math.min(band, image.height - top);
    const bytes = image.width * 4;
    const data = new Uint8ClampedArray(image.data.subarray(top * bytes, (top + height) * bytes));
    for (const text of decodeEach({ data, width: image.width, height })) found.add(text);
    if (top + height >= image.height) break;
  }
  return [...found];
}
