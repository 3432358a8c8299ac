import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';

/**
 * Waits for the newest .eml in a server's `<DATA_DIR>/mail/` whose file name contains `kind`
 * (the sanitised outbox key, e.g. "magic-link-email"), and parses it with mailparser.
 */
export async function waitForEmail(
  dataDir: string,
  kind: string,
  options: { readonly timeoutMs?: number; readonly after?: number } = {},
): Promise<ParsedMail> {
  const dir = path.join(dataDir, 'mail');
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const names = await readdir(dir).catch(() => [] as string[]);
    const matching = names.filter((name) => name.endsWith('.eml') && name.includes(kind)).sort();
    const newest = matching.at(-1);
    if (newest !== undefined && matching.length > (options.after ?? 0)) {
      return simpleParser(await readFile(path.join(dir, newest)));
    }
    if (Date.now() > deadline) throw new Error(`No ${kind} e-mail arrived in ${dir}.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
