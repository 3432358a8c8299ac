/**
 * Checks a licence file offline: `npm run verify-licence -- licence.json key.txt`.
 * `key.txt` holds the server's public key — the `publicKey` from GET /licence-key (raw 32 bytes,
 * base64url), or that whole JSON answer saved as a file. Prints "valid" and exits 0, or says why
 * not and exits 1.
 */
import { readFileSync } from 'node:fs';
import { verifyLicenceFile } from '../shared/templates/verify-licence.ts';

function read(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    console.error(`Cannot read the ${what} ${path}.`);
    process.exit(2);
  }
}

/** The key file may be the bare key or the JSON of /licence-key. */
function keyOf(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  try {
    const parsed = JSON.parse(trimmed) as { publicKey?: unknown };
    return typeof parsed.publicKey === 'string' ? parsed.publicKey : '';
  } catch {
    return '';
  }
}

const [filePath, keyPath] = process.argv.slice(2);
if (filePath === undefined || keyPath === undefined) {
  console.error('Usage: npm run verify-licence -- <licence.json> <key.txt>');
  process.exit(2);
}
let file: unknown;
try {
  file = JSON.parse(read(filePath, 'licence file'));
} catch {
  console.error(`not valid: ${filePath} is not JSON.`);
  process.exit(1);
}
const verdict = await verifyLicenceFile(file, keyOf(read(keyPath, 'key file')));
if (verdict.valid) {
  const seats = verdict.file.seats.length;
  console.log(
    `valid: ${verdict.file.productName}, code ${verdict.file.code}, ${seats} seat${seats === 1 ? '' : 's'}, issued ${verdict.file.issuedAt}${verdict.file.expiresAt === null ? '' : `, expires ${verdict.file.expiresAt}`}`,
  );
} else {
  console.log(`not valid: ${verdict.reason}`);
  process.exit(1);
}
