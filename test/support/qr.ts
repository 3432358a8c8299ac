import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** Decodes a QR code from a PNG screenshot with jsQR, a decoder this project did not write. */
export function decodeQrPng(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  const result = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  return result?.data ?? null;
}
