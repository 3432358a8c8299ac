import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatMoney } from '../../shared/money.ts';
import { seedProducts, testProduct } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { OPEN_CART_ID } from '../data/local-schemas.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { createCartCommands, type CartCommands } from '../sell/cart.ts';
import { ServerRefusal, ServerUnreachable } from '../sync/api-client.ts';
import type { PaymentsApi } from './payments-api.ts';
import { createSimulatedReader } from './simulated-reader.ts';
import { takeCardPayment, voidCardPayments } from './take-card-payment.ts';

let db: EntitleDatabase;
let cart: CartCommands;
beforeEach(async () => {
  db = await openTestDatabase();
  await seedProducts(db, [testProduct('gift', 5000)]);
  cart = createCartCommands(db);
  await cart.add('gift');
});
afterEach(async () => {
  await db.close();
});

/** The server as the POS sees it: approves `approve` of what is asked. */
function fakeApi(approve: (amount: number) => number = (amount) => amount) {
  const asked = new Map<string, number>();
  let n = 0;
  const api = {
    status: vi.fn(),
    connectionToken: vi.fn(),
    createIntent: vi.fn(({ amount }: { saleId: string; amount: number; attempt: number }) => {
      n += 1;
      const id = `pi_${String(n)}`;
      asked.set(id, amount);
      return Promise.resolve({
        id,
        clientSecret: `${id}_secret_x`,
        amount,
        status: 'requires_payment_method',
      });
    }),
    simulate: vi.fn((id: string) =>
      Promise.resolve({
        approved: true as const,
        status: 'requires_capture',
        amountCapturable: approve(asked.get(id) ?? 0),
      }),
    ),
    capture: vi.fn((id: string) => {
      const amount = asked.get(id) ?? 0;
      const received = approve(amount);
      return Promise.resolve({
        id,
        status: 'succeeded',
        amount,
        amountReceived: received,
        card: { brand: 'visa', last4: '4242' },
        partial: received < amount,
      });
    }),
    cancel: vi.fn((id: string) => Promise.resolve({ id, status: 'refunded' as const })),
  };
  return api;
}

async function depsWith(api: ReturnType<typeof fakeApi>) {
  const reader = createSimulatedReader(api.simulate, { presentDelayMs: 1 });
  const [found] = await reader.discover();
  if (found) await reader.connect(found);
  return {
    api: api as unknown as PaymentsApi,
    reader,
    cart,
    newId: () => 'sale-1',
    formatMoney: (amount: number) => formatMoney(amount, 'EUR'),
  };
}

const openCart = async () => (await db.carts.findOne(OPEN_CART_ID).exec())?.toMutableJSON();

describe('taking a card payment: refusals', () => {
  it('takes nothing when the server cannot be reached, and says take cash', async () => {
    const api = fakeApi();
    api.createIntent.mockRejectedValueOnce(new ServerUnreachable(new Error('offline')));
    const result = await takeCardPayment(await depsWith(api), { amount: 5000, attempt: 1 });
    expect(result).toMatchObject({ kind: 'not_paid', outcome: 'server' });
    expect(result.message).toMatch(/take cash/);
    expect((await openCart())?.cardPayments ?? []).toEqual([]);
  });

  it('skips an attempt key already used for another amount', async () => {
    const api = fakeApi();
    api.createIntent.mockRejectedValueOnce(new ServerRefusal(409, 'idempotency_error', 'used'));
    const result = await takeCardPayment(await depsWith(api), { amount: 5000, attempt: 1 });
    expect(result.kind).toBe('paid');
    expect(api.createIntent.mock.calls.map(([body]) => body.attempt)).toEqual([1, 2]);
    expect(result.nextAttempt).toBe(3);
  });

  it('cancels the intent when the card is declined, and records nothing', async () => {
    const api = fakeApi();
    api.simulate.mockResolvedValueOnce({
      approved: false,
      code: 'card_declined',
      declineCode: 'generic_decline',
      message: '',
    } as never);
    const result = await takeCardPayment(await depsWith(api), { amount: 5000, attempt: 1 });
    expect(result).toMatchObject({ kind: 'not_paid', outcome: 'declined' });
    expect(api.cancel).toHaveBeenCalledWith('pi_1');
    expect(api.capture).not.toHaveBeenCalled();
    expect((await openCart())?.cardPayments ?? []).toEqual([]);
  });
});

describe('taking a card payment', () => {
  it('records the captured payment on the cart under the sale id', async () => {
    const result = await takeCardPayment(await depsWith(fakeApi()), { amount: 2000, attempt: 1 });
    expect(result).toMatchObject({ kind: 'paid', message: 'Card approved: €20.00.' });
    const open = await openCart();
    expect(open?.pendingSaleId).toBe('sale-1');
    expect(open?.cardPayments).toEqual([
      { method: 'card', amount: 2000, paymentIntentId: 'pi_1', brand: 'visa', last4: '4242' },
    ]);
  });

  it('records a partial approval as what the card paid, with a message about the rest', async () => {
    const api = fakeApi((amount) => Math.floor(amount / 2));
    const result = await takeCardPayment(await depsWith(api), { amount: 5000, attempt: 1 });
    expect(result.message).toBe(
      'Partly approved: the card paid €25.00 of €50.00. Take the rest by another card or cash.',
    );
    expect((await openCart())?.cardPayments).toEqual([
      expect.objectContaining({ amount: 2500, partial: true }),
    ]);
  });

  it('voids card payments through the server, then takes them off the cart', async () => {
    const api = fakeApi();
    const deps = await depsWith(api);
    await takeCardPayment(deps, { amount: 2000, attempt: 1 });
    await takeCardPayment(deps, { amount: 1000, attempt: 2 });
    const payments = (await openCart())?.cardPayments ?? [];
    expect(payments).toHaveLength(2);
    await expect(cart.clear()).rejects.toThrow(/card/);

    api.cancel.mockRejectedValueOnce(new ServerUnreachable(new Error('offline')));
    const offline = await voidCardPayments(deps, payments);
    expect(offline).toEqual({
      ok: false,
      message: expect.stringMatching(/only be reversed while/) as unknown,
    });
    expect((await openCart())?.cardPayments).toHaveLength(2);

    expect(await voidCardPayments(deps, payments)).toEqual({ ok: true });
    expect((await openCart())?.cardPayments).toEqual([]);
    await cart.clear();
    expect((await openCart())?.lines).toEqual([]);
  });
});

describe('taking a card payment: the capture fails', () => {
  it('retries the capture once, then gives the card money back and says so', async () => {
    const api = fakeApi();
    api.capture.mockRejectedValueOnce(new ServerUnreachable(new Error('lost answer')));
    const retried = await takeCardPayment(await depsWith(api), { amount: 1000, attempt: 1 });
    expect(retried.kind).toBe('paid');

    api.capture.mockRejectedValue(new ServerUnreachable(new Error('down')));
    const failed = await takeCardPayment(await depsWith(api), { amount: 1000, attempt: 2 });
    expect(failed).toMatchObject({ kind: 'not_paid', outcome: 'server' });
    expect(failed.message).toMatch(/Nothing was kept from the card/);
    expect(api.cancel).toHaveBeenLastCalledWith('pi_2');

    api.cancel.mockRejectedValue(new ServerUnreachable(new Error('down')));
    const unsure = await takeCardPayment(await depsWith(api), { amount: 1000, attempt: 3 });
    expect(unsure.message).toMatch(/may have been charged: do not charge it again.*pi_3/);
    expect((await openCart())?.cardPayments).toHaveLength(1);
  });
});
