import type { FastifyReply } from 'fastify';
import { html, type SafeHtml } from '../redeem/html.ts';
import type { DashboardUser } from './session.ts';

export const DASHBOARD_CSS_PATH = '/dashboard/assets/dashboard.css';

/** The dashboard's sections, in nav order. H5's sections are linked here too. */
export const DASHBOARD_NAV = [
  { key: 'overview', label: 'Overview', href: '/dashboard', admin: false },
  { key: 'sales', label: 'Sales', href: '/dashboard/sales', admin: false },
  { key: 'entitlements', label: 'Entitlements', href: '/dashboard/entitlements', admin: false },
  { key: 'reports', label: 'Reports', href: '/dashboard/reports', admin: false },
  { key: 'shifts', label: 'Shifts', href: '/dashboard/shifts', admin: false },
  { key: 'audit', label: 'Audit', href: '/dashboard/audit', admin: false },
  { key: 'terminals', label: 'Terminals', href: '/dashboard/terminals', admin: false },
  { key: 'staff', label: 'Staff', href: '/dashboard/staff', admin: false },
  { key: 'catalogue', label: 'Catalogue', href: '/dashboard/catalogue', admin: false },
  { key: 'settings', label: 'Settings', href: '/dashboard/settings', admin: false },
  { key: 'stores', label: 'Stores', href: '/dashboard/stores', admin: true },
] as const;
export type DashboardSection = (typeof DASHBOARD_NAV)[number]['key'];

export type Flash = { readonly kind: 'ok' | 'error'; readonly text: string };

const ROLE_LABELS = { cashier: 'Cashier', manager: 'Manager', admin: 'Admin' } as const;

/** The hidden field every dashboard form carries; requireDashboardUser checks it on POST. */
export function csrfField(user: Pick<DashboardUser, 'csrfToken'>): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${user.csrfToken}" />`;
}

function head(title: string): SafeHtml {
  return html`<head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>${title} · Entitle dashboard</title>
    <link rel="stylesheet" href="${DASHBOARD_CSS_PATH}" />
  </head>`;
}

function flashBox(flash: Flash | undefined): SafeHtml | null {
  if (flash === undefined) return null;
  const role = flash.kind === 'error' ? 'alert' : 'status';
  return html`<div class="flash ${flash.kind}" role="${role}">${flash.text}</div>`;
}

/** The section a page belongs to, from its title when not given: for aria-current. */
function nav(user: DashboardUser, current: DashboardSection | undefined): SafeHtml {
  const items = DASHBOARD_NAV.filter((item) => !item.admin || user.role === 'admin').map(
    (item) =>
      html`<li>
        <a href="${item.href}" ${item.key === current ? html` aria-current="page"` : null}
          >${item.label}</a
        >
      </li>`,
  );
  return html`<nav class="side" aria-label="Dashboard">
    <div class="brand">Entitle</div>
    <div class="who">${user.name} · ${ROLE_LABELS[user.role]}</div>
    <ul>
      ${items}
    </ul>
    <form method="post" action="/dashboard/signout">
      ${csrfField(user)}<button type="submit">Sign out</button>
    </form>
  </nav>`;
}

/**
 * The page shell of every signed-in dashboard page: nav, heading, an optional flash message,
 * the body. Valid HTML5, works without script, a skip link for keyboard users.
 */
export function dashboardPage(input: {
  readonly title: string;
  readonly user: DashboardUser;
  readonly body: SafeHtml;
  readonly flash?: Flash;
  readonly current?: DashboardSection;
}): string {
  return html`<!doctype html>
    <html lang="en">
      ${head(input.title)}
      <body>
        <a class="skip" href="#content">Skip to content</a>
        <div class="shell">
          ${nav(input.user, input.current)}
          <main id="content">
            <h1>${input.title}</h1>
            ${flashBox(input.flash)} ${input.body}
          </main>
        </div>
      </body>
    </html>`.value;
}

/** A page for people who are not signed in (sign-in, signed out, errors before sign-in). */
export function plainDashboardPage(title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      ${head(title)}
      <body>
        <main id="content" class="signin">
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`.value;
}

export function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

/** "26 Nov 2026, 14:05 UTC": managers compare times across stores, so always UTC, said plainly. */
export function shortDateTime(iso: string | null): string {
  if (iso === null) return '—';
  const formatted = new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(new Date(iso));
  return `${formatted} UTC`;
}

/**
 * The confirmation after a change: forms redirect to `?done=<key>` (so a reload does not post
 * again) and the page shows the fixed sentence for that key; unknown keys show nothing, so a
 * link cannot put words of its own on the page.
 */
export function flashFromQuery(
  query: unknown,
  messages: Readonly<Record<string, string>>,
): Flash | undefined {
  if (typeof query !== 'object' || query === null || !('done' in query)) return undefined;
  const key = query.done;
  if (typeof key !== 'string' || !Object.hasOwn(messages, key)) return undefined;
  const text = messages[key];
  return text === undefined ? undefined : { kind: 'ok', text };
}

/** A query-string parameter as text ('' when absent or repeated). */
export function queryParam(query: unknown, name: string): string {
  if (typeof query !== 'object' || query === null) return '';
  const value = (query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.slice(0, 200) : '';
}
