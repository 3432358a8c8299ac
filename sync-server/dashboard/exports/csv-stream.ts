import { Readable } from 'node:stream';
import { csvRecord, type CsvValue } from './csv.ts';

/** Rows per database query: big enough to be quick, small enough that a page is ~100 KB of CSV. */
export const EXPORT_PAGE_SIZE = 1000;

/**
 * Reads a table page after page by keyset (`after` = the key of the last row read; null for the
 * first page) until a page comes back short. Only one page is held at a time, and the next one
 * is asked for only when the consumer wants more (an async generator is pulled, not pushed).
 */
export async function* keysetPages<Row, Key>(
  fetchPage: (after: Key | null, limit: number) => Promise<readonly Row[]>,
  keyOf: (row: Row) => Key,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<readonly Row[]> {
  let after: Key | null = null;
  for (;;) {
    const page = await fetchPage(after, pageSize);
    if (page.length > 0) yield page;
    const last = page.at(-1);
    if (page.length < pageSize || last === undefined) return;
    after = keyOf(last);
  }
}

/**
 * A CSV body as a stream: the header, then one chunk per page of records. Readable.from pulls
 * the generator only as fast as the socket drains, so a slow download holds one page in memory,
 * not the whole export.
 */
export function csvStream<Row>(
  header: readonly string[],
  pages: AsyncIterable<readonly Row[]>,
  toRecord: (row: Row) => readonly CsvValue[],
): Readable {
  async function* chunks(): AsyncGenerator<string> {
    yield csvRecord(header);
    for await (const page of pages) yield page.map((row) => csvRecord(toRecord(row))).join('');
  }
  return Readable.from(chunks(), { objectMode: false });
}
