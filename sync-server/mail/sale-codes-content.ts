import { formatCode } from '../../shared/code/entitlement-code.ts';
import { formatMoney } from '../../shared/money.ts';
import { PRODUCT_KIND_LABELS } from '../../shared/schemas/product.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { formatDateTime, html } from '../redeem/html.ts';
import { emailHtml } from './email-document.ts';

export type SaleCodesEmail = { subject: string; text: string; html: string };

type CodeItem = { code: string; formatted: string; forWhat: string; link: string };

function codeItems(sale: Sale, publicUrl: string): CodeItem[] {
  // A gift's codes go to its recipient only: listing them here would spoil the surprise.
  return sale.lines.flatMap((line) =>
    (line.gift === undefined ? line.codes : []).map((code) => ({
      code,
      formatted: formatCode(code),
      forWhat: `${line.name} (${PRODUCT_KIND_LABELS[line.kind]})`,
      link: `${publicUrl}/redeem/${encodeURIComponent(code)}`,
    })),
  );
}

/** "26 November 2026": a gift is sent on a day, not at a minute. */
export function formatDay(isoDate: string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${isoDate.slice(0, 10)}T00:00:00.000Z`),
  );
}

/** One sentence per gift line, in place of its codes: who gets them, and when. */
function giftNotes(sale: Sale): string[] {
  const saleDay = sale.createdAt.slice(0, 10);
  return sale.lines.flatMap((line) => {
    if (line.gift === undefined) return [];
    const what = `${line.quantity} × ${line.name}`;
    const sendOn = line.gift.sendOn;
    return sendOn !== undefined && sendOn > saleDay
      ? [`${what}: will be sent to ${line.gift.recipientEmail} on ${formatDay(sendOn)}`]
      : [`${what}: sent to ${line.gift.recipientEmail} on ${formatDay(saleDay)}`];
  });
}

function codesHeading(items: readonly CodeItem[]): string {
  return items.length === 1 ? 'Your code' : `Your ${items.length} codes`;
}

function textBody(sale: Sale, storeName: string, items: readonly CodeItem[]): string {
  const money = (amount: number): string => formatMoney(amount, sale.currency);
  return [
    `Thank you for your purchase at ${storeName}.`,
    '',
    `Receipt ${sale.receiptNumber}, ${formatDateTime(sale.createdAt)}`,
    ...sale.lines.map(
      (line) =>
        `  ${line.quantity} × ${line.name} (${money(line.unitPrice)}): ${money(line.lineTotal)}`,
    ),
    `Total: ${money(sale.total)}`,
    '',
    ...(giftNotes(sale).length === 0
      ? []
      : ['Gifts:', ...giftNotes(sale).map((n) => `  ${n}`), '']),
    ...(items.length === 0 ? [] : [`${codesHeading(items)}:`, '']),
    ...items.flatMap((item) => [
      item.formatted,
      `  for ${item.forWhat}`,
      `  redeem at ${item.link}`,
      '',
    ]),
    'Keep this e-mail safe: whoever has a code can redeem it.',
    '',
  ].join('\n');
}

function htmlBody(sale: Sale, storeName: string, items: readonly CodeItem[]): string {
  const money = (amount: number): string => formatMoney(amount, sale.currency);
  const lines = sale.lines.map(
    (line) =>
      html`<tr>
        <td>${line.quantity} × ${line.name} (${money(line.unitPrice)})</td>
        <td style="text-align:right">${money(line.lineTotal)}</td>
      </tr>`,
  );
  const codes = items.map(
    (item) =>
      html`<li style="margin-bottom:12px">
        <strong style="font-family:monospace;font-size:18px">${item.formatted}</strong><br />
        for ${item.forWhat}<br />
        <a href="${item.link}">Redeem ${item.formatted}</a>
      </li>`,
  );
  return emailHtml(
    `Your codes from ${storeName}`,
    html`<p>Thank you for your purchase at ${storeName}.</p>
      <p>Receipt ${sale.receiptNumber}, ${formatDateTime(sale.createdAt)}</p>
      <table>
        ${lines}
        <tr>
          <th style="text-align:left">Total</th>
          <th style="text-align:right">${money(sale.total)}</th>
        </tr>
      </table>
      ${
        giftNotes(sale).length === 0
          ? null
          : html`<h2>Gifts</h2>
              <ul>
                ${giftNotes(sale).map((note) => html`<li>${note}</li>`)}
              </ul>`
      }
      ${
        items.length === 0
          ? null
          : html`<h2>${codesHeading(items)}</h2>
              <ul style="list-style:none;padding:0">
                ${codes}
              </ul>`
      }
      <p>Keep this e-mail safe: whoever has a code can redeem it.</p>`,
  );
}

/** The buyer's e-mail for a sale: every code, what it is for, and where to redeem it. */
export function renderSaleCodesEmail(input: {
  readonly sale: Sale;
  readonly storeName: string;
  /** PUBLIC_URL without a trailing slash. */
  readonly publicUrl: string;
}): SaleCodesEmail {
  const items = codeItems(input.sale, input.publicUrl);
  return {
    subject: `Your codes from ${input.storeName}`,
    text: textBody(input.sale, input.storeName, items),
    html: htmlBody(input.sale, input.storeName, items),
  };
}
