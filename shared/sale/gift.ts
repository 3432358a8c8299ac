import { Email } from '../schemas/common.ts';
import type { Gift } from '../schemas/sale.ts';
import { Gift as GiftSchema } from '../schemas/sale.ts';
import { longDate, shortDate } from '../templates/summary.ts';

export const GIFT_MESSAGE_MAX = 300;

/** What the cashier typed into the gift form, untrimmed. */
export type GiftFormInput = {
  readonly recipientEmail: string;
  readonly sendOn: string;
  readonly message: string;
};

export type GiftFormErrors = Partial<Record<keyof GiftFormInput, string>>;

/**
 * Checks the counter's gift form and says what to fix per field. `today` is the till's calendar
 * date (YYYY-MM-DD): a send date before it would be sent at once, which is not what the buyer
 * asked for, so it is refused rather than silently changed.
 */
export function parseGiftForm(
  input: GiftFormInput,
  today: string,
): { ok: true; gift: Gift } | { ok: false; errors: GiftFormErrors } {
  const errors: GiftFormErrors = {};
  const recipientEmail = input.recipientEmail.trim();
  const sendOn = input.sendOn.trim();
  const message = input.message.trim();
  if (recipientEmail === '') errors.recipientEmail = "Type the recipient's e-mail address.";
  else if (!Email.safeParse(recipientEmail).success) {
    errors.recipientEmail = 'That e-mail address does not look right. Check it for typos.';
  }
  if (sendOn !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(sendOn)) {
    errors.sendOn = 'Pick a date, or leave it empty to send it today.';
  } else if (sendOn !== '' && sendOn < today) {
    errors.sendOn = 'That date has passed. Pick today or a later day, or leave it empty.';
  }
  if (message.length > GIFT_MESSAGE_MAX) {
    errors.message = `Shorten the message to ${String(GIFT_MESSAGE_MAX)} characters (it has ${String(message.length)}).`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const parsed = GiftSchema.safeParse({
    recipientEmail,
    ...(sendOn !== '' && sendOn !== today ? { sendOn } : {}),
    ...(message !== '' ? { message } : {}),
  });
  if (!parsed.success) return { ok: false, errors: { sendOn: 'Pick a real calendar date.' } };
  return { ok: true, gift: parsed.data };
}

/** "Gift for ana@example.com (sends 3 Dec)" on the cart line. */
export function giftCartLabel(gift: Gift): string {
  const when = gift.sendOn ? `sends ${shortDate(`${gift.sendOn}T00:00:00Z`)}` : 'sends today';
  return `Gift for ${gift.recipientEmail} (${when})`;
}

/** "Gift for ana@example.com — e-mailed today" on the receipt, or "— e-mailed on 3 Dec 2026". */
export function giftReceiptNote(gift: Gift): string {
  const when = gift.sendOn ? `on ${longDate(`${gift.sendOn}T00:00:00Z`)}` : 'today';
  return `Gift for ${gift.recipientEmail} — e-mailed ${when}`;
}

/** The till's calendar date as YYYY-MM-DD, in its own time zone: what "today" means at the counter. */
export function localDateOf(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(now.getFullYear())}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
