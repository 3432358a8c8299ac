import { EmailAddress } from '../accounts/accounts.ts';

/** More than any one sale can carry (shared MAX_QUANTITY_PER_LINE), so never a real limit. */
export const MAX_RECIPIENT_LINES = 500;

export type RecipientLines = { ok: true; emails: string[] } | { ok: false; message: string };

/**
 * The bulk-give textarea: one e-mail per line, blank lines ignored. Every line is checked before
 * anything is given, and a refusal names the line, so the buyer fixes it in place.
 */
export function parseRecipientLines(text: string, free: number): RecipientLines {
  const lines = text
    .split(/\r?\n/)
    .map((line, index) => ({ number: index + 1, typed: line.trim() }))
    .filter((line) => line.typed !== '');
  if (lines.length === 0) {
    return { ok: false, message: 'Type at least one e-mail address, one per line.' };
  }
  if (lines.length > MAX_RECIPIENT_LINES) {
    return { ok: false, message: `Type at most ${MAX_RECIPIENT_LINES} addresses at once.` };
  }
  const seen = new Map<string, number>();
  const emails: string[] = [];
  for (const line of lines) {
    const email = EmailAddress.safeParse(line.typed);
    if (!email.success) {
      return {
        ok: false,
        message: `Line ${line.number}: “${line.typed}” is not an e-mail address. Write one address per line, like name@example.com.`,
      };
    }
    const first = seen.get(email.data);
    if (first !== undefined) {
      return {
        ok: false,
        message: `Line ${line.number} repeats ${email.data} from line ${first}. Each address gets one code: write it once.`,
      };
    }
    seen.set(email.data, line.number);
    emails.push(email.data);
  }
  if (emails.length > free) {
    return {
      ok: false,
      message: `You typed ${emails.length} addresses, but only ${free} ${free === 1 ? 'code is' : 'codes are'} free to give. Remove ${emails.length - free} ${emails.length - free === 1 ? 'line' : 'lines'}.`,
    };
  }
  return { ok: true, emails };
}
