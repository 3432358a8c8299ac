import { html, type SafeHtml } from '../redeem/html.ts';

/** What every content module hands the mailer. */
export type EmailContent = { subject: string; text: string; html: string };

/** The one HTML frame every e-mail is sent in: its title and a plain, readable body. */
export function emailHtml(title: string, body: SafeHtml | readonly SafeHtml[]): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${title}</title>
      </head>
      <body style="font-family:sans-serif;line-height:1.4">
        ${body}
      </body>
    </html>`.value;
}

/** An e-mail made of plain paragraphs: the same lines as text and as HTML. */
export function paragraphEmail(subject: string, lines: readonly string[]): EmailContent {
  return {
    subject,
    text: [...lines, ''].join('\n\n'),
    html: emailHtml(
      subject,
      lines.map((line) => html`<p>${line}</p>`),
    ),
  };
}
