import { formatCode } from '../../shared/code/entitlement-code.ts';
import { PRODUCT_KIND_LABELS, type ProductKind } from '../../shared/schemas/product.ts';
import { html } from '../redeem/html.ts';
import { emailHtml } from './email-document.ts';

export type GiftEmail = { subject: string; text: string; html: string };

/** The recipient's e-mail: the codes given to them, each with its link, and the buyer's words. */
export function renderGiftEmail(input: {
  readonly storeName: string;
  readonly productName: string;
  readonly kind: ProductKind;
  readonly codes: readonly string[];
  readonly message: string | undefined;
  /** PUBLIC_URL without a trailing slash. */
  readonly publicUrl: string;
}): GiftEmail {
  const what = `${input.productName} (${PRODUCT_KIND_LABELS[input.kind]})`;
  const items = input.codes.map((code) => ({
    formatted: formatCode(code),
    link: `${input.publicUrl}/redeem/${encodeURIComponent(code)}`,
  }));
  const subject = `A gift for you from ${input.storeName}`;
  const intro = `Someone bought you ${what} at ${input.storeName}.`;
  const message = input.message?.trim() === '' ? undefined : input.message?.trim();
  const after =
    'Open the link to redeem it or claim it to your account. Whoever has a code can redeem it: keep this e-mail safe.';
  return {
    subject,
    text: [
      intro,
      ...(message === undefined ? [] : ['', 'Their message:', `  ${message}`]),
      '',
      items.length === 1 ? 'Your code:' : `Your ${items.length} codes:`,
      '',
      ...items.flatMap((item) => [item.formatted, `  redeem at ${item.link}`, '']),
      after,
      '',
    ].join('\n'),
    html: emailHtml(
      subject,
      html`<p>${intro}</p>
        ${
          message === undefined
            ? null
            : html`<p>Their message:</p>
                <blockquote>${message}</blockquote>`
        }
        <h2>${items.length === 1 ? 'Your code' : `Your ${items.length} codes`}</h2>
        <ul style="list-style:none;padding:0">
          ${items.map(
            (item) =>
              html`<li style="margin-bottom:12px">
                <strong style="font-family:monospace;font-size:18px">${item.formatted}</strong
                ><br />
                <a href="${item.link}">Redeem ${item.formatted}</a>
              </li>`,
          )}
        </ul>
        <p>${after}</p>`,
    ),
  };
}
