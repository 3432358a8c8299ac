/** Every customer-facing HTML route (redemption portal, account, sign-in) and a valid use of it. */
import { pageTarget, type Target } from './target.ts';
import { freshCustomer, type World } from './world.ts';

const codeParams = (w: World) => ({
  code: [w.codes.voucher, w.codes.licence, w.codes.gift, w.strangerCode],
});
const customer = (w: World) => w.customer;
const visitor = (w: World) => w.visitor;
const FAKE_TOKEN = 'A'.repeat(43);

export function portalTargets(): Target[] {
  return [
    // First, while the holder may still be sent a sign-in link (5 an hour); its own signed-in
    // customer, so signing out does not end the session the other targets use.
    pageTarget('POST /signout', { as: freshCustomer, form: () => ({}) }),
    pageTarget('GET /redeem', {}),
    pageTarget('GET /redeem/', {}),
    pageTarget('GET /redeem/assets/portal.css', {}),
    pageTarget('POST /redeem', { as: visitor, form: (w) => ({ code: w.codes.voucher }) }),
    pageTarget('POST /redeem/', { as: visitor, form: (w) => ({ code: w.codes.voucher }) }),
    pageTarget('GET /redeem/:code', { as: visitor, params: codeParams }),
    pageTarget('POST /redeem/:code/consume', { as: visitor, params: codeParams, form: () => ({}) }),
    pageTarget('POST /redeem/:code/claim', {
      as: visitor,
      params: codeParams,
      form: () => ({ email: 'someone@example.test' }),
    }),
    pageTarget('GET /auth/link/:token', { as: visitor, params: () => ({ token: [FAKE_TOKEN] }) }),
    pageTarget('POST /auth/link/:token', {
      as: visitor,
      params: () => ({ token: [FAKE_TOKEN] }),
      form: () => ({}),
    }),
    pageTarget('GET /signin', {}),
    pageTarget('POST /signin', { as: visitor, form: () => ({ email: 'holder@example.test' }) }),
    pageTarget('GET /account', { as: customer }),
    pageTarget('GET /account/codes/:code', {
      as: customer,
      params: codeParams,
      query: { keys: ['product'] },
    }),
    pageTarget('POST /account/codes/:code/onboard', {
      as: customer,
      params: codeParams,
      form: () => ({
        product: 'prod-pcr-test',
        fullName: 'Ada Lovelace',
        dateOfBirth: '1990-12-10',
        contact: 'ada@example.test',
      }),
    }),
    pageTarget('GET /account/codes/:code/registered', { as: customer, params: codeParams }),
    pageTarget('POST /account/codes/:code/seats', {
      as: customer,
      params: codeParams,
      form: () => ({ seats: 'a@example.test\nb@example.test' }),
    }),
    pageTarget('GET /account/codes/:code/licence', { as: customer, params: codeParams }),
    // Last: an accepted give or transfer moves the code out of the holder's account.
    pageTarget('POST /account/codes/:code/give', {
      as: customer,
      params: codeParams,
      form: () => ({ email: 'friend@example.test' }),
    }),
    pageTarget('POST /account/codes/:code/transfer', {
      as: customer,
      params: codeParams,
      form: () => ({ email: 'friend@example.test' }),
    }),
    pageTarget('POST /account/sales/:saleId/give', {
      as: customer,
      params: (w) => ({ saleId: [w.sale.id, w.strangerSale.id] }),
      form: () => ({ productId: 'prod-pcr-test', emails: 'a@example.test\nb@example.test' }),
    }),
    pageTarget('GET /licence-key', {}),
  ];
}
