/** Every dashboard route (session cookie + CSRF field, forms, CSV exports) and a valid use. */
import { DEMO_STORE } from '../../sync-server/catalogue/demo-catalogue.ts';
import { signedInAs, type DashboardBrowser } from '../../sync-server/dashboard/test-kit.ts';
import { pageTarget, type Target } from './target.ts';
import { dashboardVisitor, type PortalVisitor, type World } from './world.ts';

/** A manager of the demo store of its own for each target: one target cannot sign out another. */
async function manager(w: World): Promise<PortalVisitor> {
  return sessionOf(await signedInAs(w.t, 'manager', { storeId: DEMO_STORE.id }));
}
async function admin(w: World): Promise<PortalVisitor> {
  return sessionOf(await signedInAs(w.t, 'admin'));
}
function sessionOf(browser: DashboardBrowser): PortalVisitor {
  return { cookie: browser.cookie, csrf: browser.csrf };
}

const staffParams = (w: World) => ({ id: w.staffIds });
const codeParams = (w: World) => ({ code: [w.codes.voucher, w.codes.gift, w.strangerCode] });
const saleParams = (w: World) => ({ saleId: [w.sale.id, w.strangerSale.id] });
const storeParams = (w: World) => ({ storeId: [DEMO_STORE.id, w.stranger.storeId] });
const productParams = () => ({ id: ['prod-gift-25', 'prod-pcr-test', 'prod-team-licence'] });
const LIST_QUERY = {
  keys: ['store', 'terminal', 'from', 'to', 'q', 'kind', 'state', 'receipt', 'code', 'email'],
  valid: { from: '2026-11-01', to: '2026-11-30' },
};
const CURSOR_QUERY = { keys: ['beforeAt', 'beforeId', 'limit', 'store', 'done', 'notice'] };
const PRODUCT = {
  storeId: DEMO_STORE.id,
  name: 'Gift card €30',
  description: 'A card',
  kind: 'gift_card',
  price: '30.00',
  barcode: '4006381333931',
  taxClassId: 'tax-standard',
  active: 'on',
};

/**
 * Fewer runs where an accepted request hashes a password or PIN at full cost (hundreds of
 * milliseconds by design): the refusals are what is fuzzed, and they come early in the form.
 */
const SLOW_HASH_RUNS = 12;

export function dashboardTargets(): Target[] {
  return [
    pageTarget('GET /dashboard', { as: manager, query: CURSOR_QUERY }),
    pageTarget('GET /dashboard/assets/dashboard.css', {}),
    pageTarget('GET /dashboard/signin', { query: { keys: ['next'] } }),
    pageTarget(
      'POST /dashboard/signin',
      {
        as: dashboardVisitor,
        form: (w) => ({
          email: w.manager.staff.email ?? '',
          password: 'wrong',
          next: '/dashboard',
        }),
      },
      { runs: SLOW_HASH_RUNS },
    ),
    pageTarget('POST /dashboard/signout', { as: manager, form: () => ({}) }),
    pageTarget('GET /dashboard/audit', { as: manager, query: LIST_QUERY }),
    pageTarget('GET /dashboard/audit/terminals/:terminalId', {
      as: manager,
      params: (w) => ({ terminalId: [w.till.terminalId, w.stranger.terminalId] }),
      query: CURSOR_QUERY,
    }),
    pageTarget('GET /dashboard/staff', { as: manager, query: CURSOR_QUERY }),
    pageTarget('GET /dashboard/staff/new', { as: manager }),
    pageTarget(
      'POST /dashboard/staff',
      {
        as: manager,
        form: () => ({
          name: 'Nia',
          role: 'cashier',
          storeId: DEMO_STORE.id,
          email: '',
          pin: '482913',
          password: '',
        }),
      },
      { runs: SLOW_HASH_RUNS },
    ),
    pageTarget('GET /dashboard/staff/:id', { as: manager, params: staffParams }),
    pageTarget('POST /dashboard/staff/:id/details', {
      as: manager,
      params: staffParams,
      form: () => ({ name: 'Casey Cashier', role: 'cashier', storeId: DEMO_STORE.id }),
    }),
    pageTarget('GET /dashboard/staff/:id/deactivate', { as: manager, params: staffParams }),
    pageTarget('POST /dashboard/staff/:id/deactivate', {
      as: manager,
      params: staffParams,
      form: () => ({}),
    }),
    pageTarget('POST /dashboard/staff/:id/reactivate', {
      as: manager,
      params: staffParams,
      form: () => ({}),
    }),
    pageTarget(
      'POST /dashboard/staff/:id/pin',
      { as: manager, params: staffParams, form: () => ({ pin: '739146' }) },
      { runs: SLOW_HASH_RUNS },
    ),
    pageTarget(
      'POST /dashboard/staff/:id/password',
      {
        as: manager,
        params: staffParams,
        form: () => ({ email: 'casey@example.test', password: 'a long enough passphrase' }),
      },
      { runs: SLOW_HASH_RUNS },
    ),
    pageTarget('POST /dashboard/staff/:id/password/clear', {
      as: manager,
      params: staffParams,
      form: () => ({}),
    }),
    pageTarget('GET /dashboard/stores', { as: admin }),
    pageTarget('POST /dashboard/stores', {
      as: admin,
      form: () => ({ name: 'Third Shop', currency: 'EUR' }),
    }),
    pageTarget('GET /dashboard/settings', { as: manager, query: CURSOR_QUERY }),
    pageTarget('POST /dashboard/settings/:storeId', {
      as: manager,
      params: storeParams,
      form: () => ({ [`discount-${DEMO_STORE.id}`]: '10', [`idle-${DEMO_STORE.id}`]: '5' }),
    }),
    pageTarget('GET /dashboard/sales', { as: manager, query: LIST_QUERY }),
    pageTarget('GET /dashboard/sales/:saleId', { as: manager, params: saleParams }),
    pageTarget('GET /dashboard/sales/:saleId/resend', { as: manager, params: saleParams }),
    pageTarget('POST /dashboard/sales/:saleId/resend', {
      as: manager,
      params: saleParams,
      form: () => ({ email: 'buyer@example.test', reason: 'Lost the e-mail' }),
    }),
    pageTarget('GET /dashboard/shifts', { as: manager, query: CURSOR_QUERY }),
    pageTarget('GET /dashboard/shifts/:shiftId', {
      as: manager,
      params: (w) => ({ shiftId: [w.sale.id] }),
    }),
    pageTarget('GET /dashboard/terminals', { as: manager, query: CURSOR_QUERY }),
    pageTarget('POST /dashboard/terminals/pairing-code', {
      as: manager,
      form: () => ({ storeId: DEMO_STORE.id }),
    }),
    pageTarget('GET /dashboard/terminals/:id/revoke', {
      as: manager,
      params: (w) => ({ id: [w.till.terminalId, w.stranger.terminalId] }),
    }),
    pageTarget('POST /dashboard/terminals/:id/revoke', {
      as: manager,
      params: (w) => ({ id: [w.stranger.terminalId] }),
      form: () => ({}),
    }),
    pageTarget('GET /dashboard/catalogue', { as: manager, query: CURSOR_QUERY }),
    pageTarget('GET /dashboard/catalogue/new', { as: manager, query: CURSOR_QUERY }),
    pageTarget('POST /dashboard/catalogue/products', { as: manager, form: () => PRODUCT }),
    pageTarget('GET /dashboard/catalogue/products/:id', { as: manager, params: productParams }),
    pageTarget('POST /dashboard/catalogue/products/:id', {
      as: manager,
      params: productParams,
      form: () => PRODUCT,
    }),
    pageTarget('POST /dashboard/catalogue/products/:id/template', {
      as: manager,
      params: productParams,
      form: () => ({ template: '{"kind":"voucher"}' }),
    }),
    pageTarget('GET /dashboard/entitlements', { as: manager, query: LIST_QUERY }),
    pageTarget('GET /dashboard/entitlements/:code', { as: manager, params: codeParams }),
    pageTarget('GET /dashboard/entitlements/:code/void', { as: manager, params: codeParams }),
    pageTarget('POST /dashboard/entitlements/:code/void', {
      as: manager,
      params: codeParams,
      form: () => ({ reason: 'Sold by mistake' }),
    }),
    pageTarget('GET /dashboard/entitlements/:code/extend', { as: manager, params: codeParams }),
    pageTarget('POST /dashboard/entitlements/:code/extend', {
      as: manager,
      params: codeParams,
      form: () => ({ through: '2027-12-31', reason: 'Goodwill' }),
    }),
    pageTarget('GET /dashboard/exports', { as: manager }),
    pageTarget('GET /dashboard/exports/sales.csv', { as: manager, query: LIST_QUERY }),
    pageTarget('GET /dashboard/exports/entitlements.csv', { as: manager, query: LIST_QUERY }),
    pageTarget('GET /dashboard/exports/audit-events.csv', { as: manager, query: LIST_QUERY }),
    pageTarget('GET /dashboard/reports', { as: manager, query: LIST_QUERY }),
  ];
}

/** The people and set-up half (sign-in, staff, stores, settings, terminals): a test file each half. */
const PEOPLE = /^\w+ \/dashboard(\/(assets|signin|signout|staff|stores|settings|terminals)|$)/;

export function dashboardPeopleTargets(): Target[] {
  return dashboardTargets().filter((target) => PEOPLE.test(target.route));
}

export function dashboardDataTargets(): Target[] {
  return dashboardTargets().filter((target) => !PEOPLE.test(target.route));
}
