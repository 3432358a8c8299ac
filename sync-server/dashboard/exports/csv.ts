/**
 * RFC 4180 CSV: fields separated by commas, records by CRLF, a field holding a comma, quote, CR
 * or LF wrapped in quotes with its quotes doubled.
 *
 * A text cell that starts with = + - @ (or a tab or CR, which some spreadsheets skip before
 * reading one of those) is a formula to Excel, LibreOffice and Google Sheets: a buyer e-mail
 * like `=HYPERLINK(…)` would run when a manager opens the export. Such a cell gets a leading
 * apostrophe, which spreadsheets show as text (OWASP "CSV injection"). Numbers are written as
 * they are: a negative amount is a number, not a formula.
 */
export type CsvValue = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
