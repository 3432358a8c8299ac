import type { Receipt, ReceiptCode } from '../../shared/receipt/receipt-model.ts';
import { buildReceipt } from '../../shared/receipt/receipt-model.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { SaleVoid } from '../../shared/schemas/sale-void.ts';
import type { ProductTemplate } from '../../shared/templates/product-template.ts';
import { formatDateTime, html } from '../redeem/html.ts';
import { emailHtml } from './email-document.ts';

export type SaleCodesEmail = { subject: string; text: string; html: string };

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
    const what = `${String(line.quantity)} × ${line.name}`;
    const sendOn = line.gift.sendOn;
    return sendOn !== undefined && sendOn > saleDay
      ? [`${what}: will be sent to ${line.gift.recipientEmail} on ${formatDay(sendOn)}`]
      : [`${what}: sent to ${line.gift.recipientEmail} on ${formatDay(saleDay)}`];
  });
}

function codesHeading(codes: readonly ReceiptCode[]): string {
  return codes.length === 1 ? 'Your code' : `Your ${String(codes.length)} codes`;
}

/** The figures under the lines, as label/amount pairs: the same rows as the printed receipt. */
function totalRows(receipt: Receipt): [string, string][] {
  const { totals } = receipt;
  return [
    ['Subtotal', totals.subtotal],
    ...(totals.discounts
      ? [[totals.discounts.label, totals.discounts.amount] as [string, string]]
      : []),
    ...totals.taxes.map((tax): [string, string] => [tax.label, tax.amount]),
    ['Total', totals.total],
  ];
}

function paymentRows(receipt: Receipt): [string, string][] {
  return receipt.payments.flatMap((payment): [string, string][] => [
    [payment.label, payment.amount],
    ...payment.details.map((detail): [string, string] => [`  ${detail}`, '']),
  ]);
}

function textBody(sale: Sale, receipt: Receipt, codes: readonly ReceiptCode[]): string {
  const gifts = giftNotes(sale);
  return [
    `Thank you for your purchase at ${receipt.storeName}.`,
    '',
    `Receipt ${receipt.receiptNumber}, ${formatDateTime(receipt.createdAt)}`,
    ...(receipt.voided ? [`VOIDED: ${receipt.voided.reason}`] : []),
    '',
    ...receipt.lines.flatMap((line) => [
      `  ${line.label}: ${line.amount}`,
      ...(line.discount === null
        ? []
        : [`    ${line.discount}${line.listAmount === null ? '' : ` (was ${line.listAmount})`}`]),
    ]),
    '',
    ...totalRows(receipt).map(([label, amount]) => `${label}: ${amount}`),
    '',
    'Paid:',
    ...paymentRows(receipt).map(([label, amount]) =>
      amount === '' ? `  ${label}` : `  ${label}: ${amount}`,
    ),
    '',
    ...(gifts.length === 0 ? [] : ['Gifts:', ...gifts.map((n) => `  ${n}`), '']),
    ...(codes.length === 0 ? [] : [`${codesHeading(codes)}:`, '']),
    ...codes.flatMap((code) => [
      code.formatted,
      `  for ${code.productName} (${code.summary})`,
      ...code.notes.map((note) => `  ${note}`),
      `  redeem at ${code.url}`,
      '',
    ]),
    'Keep this e-mail safe: whoever has a code can redeem it.',
    '',
  ].join('\n');
}

function htmlBody(sale: Sale, receipt: Receipt, codes: readonly ReceiptCode[]): string {
  const gifts = giftNotes(sale);
  const row = ([label, amount]: [string, string], strong = false) =>
    strong
      ? html`<tr>
          <th style="text-align:left">${label}</th>
          <th style="text-align:right">${amount}</th>
        </tr>`
      : html`<tr>
          <td>${label}</td>
          <td style="text-align:right">${amount}</td>
        </tr>`;
  const lines = receipt.lines.map(
    (line) =>
      html`<tr>
        <td>
          ${line.label}${
            line.discount === null
              ? null
              : html`<br /><small
                    >${line.discount}${line.listAmount === null ? '' : ` (was ${line.listAmount})`}</small
                  >`
          }
        </td>
        <td style="text-align:right">${line.amount}</td>
      </tr>`,
  );
  const totals = totalRows(receipt);
  return emailHtml(
    `Your receipt from ${receipt.storeName}`,
    html`<p>Thank you for your purchase at ${receipt.storeName}.</p>
      <p>Receipt ${receipt.receiptNumber}, ${formatDateTime(receipt.createdAt)}</p>
      ${receipt.voided ? html`<p><strong>VOIDED:</strong> ${receipt.voided.reason}</p>` : null}
      <table style="border-collapse:collapse;min-width:280px">
        ${lines} ${totals.map((entry, index) => row(entry, index === totals.length - 1))}
        ${paymentRows(receipt).map((entry) => row(entry))}
      </table>
      ${
        gifts.length === 0
          ? null
          : html`<h2>Gifts</h2>
              <ul>
                ${gifts.map((note) => html`<li>${note}</li>`)}
              </ul>`
      }
      ${
        codes.length === 0
          ? null
          : html`<h2>${codesHeading(codes)}</h2>
              <ul style="list-style:none;padding:0">
                ${codes.map(
                  (code) =>
                    html`<li style="margin-bottom:12px">
                      <strong style="font-family:monospace;font-size:18px">${code.formatted}</strong
                      ><br />
                      for ${code.productName} (${code.summary})<br />
                      ${code.notes.map((note) => html`${note}<br />`)}
                      <a href="${code.url}">Redeem ${code.formatted}</a>
                    </li>`,
                )}
              </ul>`
      }
      <p>Keep this e-mail safe: whoever has a code can redeem it.</p>`,
  );
}

/**
 * The buyer's e-mail for a sale: the full receipt (lines, discounts, tax, payments) and every
 * code with what it is for and its redemption link, rendered from the shared receipt model.
 */
export function renderSaleCodesEmail(input: {
  readonly sale: Sale;
  readonly storeName: string;
  /** PUBLIC_URL without a trailing slash. */
  readonly publicUrl: string;
  readonly terminalName?: string;
  readonly templates?: ReadonlyMap<string, ProductTemplate | null>;
  readonly voided?: SaleVoid | null;
}): SaleCodesEmail {
  const receipt = buildReceipt({
    sale: input.sale,
    store: { name: input.storeName },
    terminalName: input.terminalName ?? '',
    redeemBaseUrl: `${input.publicUrl}/redeem`,
    templates: input.templates ?? new Map(),
    voided: input.voided ?? null,
  });
  // A gift's codes go to its recipient only: listing them here would spoil the surprise.
  const codes = receipt.codes.filter((code) => code.giftFor === null);
  return {
    subject: `Your receipt and codes from ${input.storeName}`,
    text: textBody(input.sale, receipt, codes),
    html: htmlBody(input.sale, receipt, codes),
  };
}
