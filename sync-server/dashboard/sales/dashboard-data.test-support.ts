/**
 * Two stores with a terminal each and sales pushed through the real sync API, plus signed-in
 * dashboard browsers: what every dashboard data test starts from.
 */
import type { EnrolResponse } from '../../../shared/schemas/protocol.ts';
import type { Sale } from '../../../shared/schemas/sale.ts';
import { voidOf } from '../../audit/facts.test-support.ts';
import type { Store } from '../../catalogue/stores.ts';
import { refundOf } from '../../refunds/test-support.ts';
import { createTestApp, type TestApp } from '../../test-support/harness.ts';
import { enrolTerminal, pushFacts, saleMaker, type LineInput } from '../../test-support/sales.ts';
import { signedInAs, type DashboardBrowser } from '../test-kit.ts';

export const VOUCHER: LineInput = {
  productId: 'prod-spa',
  name: 'Spa voucher',
  kind: 'voucher',
  unitPrice: 4500,
  quantity: 2,
};

export type DataFixture = {
  readonly t: TestApp;
  readonly otherStore: Store;
  /** The test store's terminal, enrolled as 'Till 1'. */
  readonly mainTill: EnrolResponse;
  /** A manager of the test store and one of the other store. */
  readonly manager: DashboardBrowser;
  readonly otherManager: DashboardBrowser;
  /** Makes and pushes a sale in the test store (or the other one). */
  sell(
    lines?: readonly LineInput[],
    extra?: {
      buyerEmail?: string;
      staffId?: string | null;
      shiftId?: string | null;
      createdAt?: string;
    },
    store?: 'main' | 'other',
  ): Promise<Sale>;
  /** Pushes a void of a main-store sale, made by `staffId` at `createdAt`. */
  voidSale(
    sale: Sale,
    extra?: { staffId?: string | null; approvedBy?: string | null; createdAt?: string },
  ): Promise<void>;
  /** Pushes a cash refund of some lines of a main-store sale. */
  refundLines(
    sale: Sale,
    lineIds: readonly string[],
    extra?: { staffId?: string | null; approvedBy?: string | null; createdAt?: string },
  ): Promise<void>;
};

export async function dataFixture(): Promise<DataFixture> {
  const t = await createTestApp();
  const otherStore = await t.addStore('Other Shop');
  const main = await enrolTerminal(t.app, await t.pairingCode(), 'Till 1');
  const other = await enrolTerminal(t.app, await t.pairingCode(otherStore.id), 'Far till');
  let createdAt = '2026-11-26T09:00:00.000Z';
  const makers = {
    main: { credentials: main, make: saleMaker(main, () => createdAt) },
    other: { credentials: other, make: saleMaker(other, () => createdAt) },
  };
  return {
    t,
    otherStore,
    mainTill: main,
    manager: await signedInAs(t, 'manager'),
    otherManager: await signedInAs(t, 'manager', { storeId: otherStore.id }),
    async sell(lines, extra = {}, store = 'main') {
      createdAt = extra.createdAt ?? '2026-11-26T09:00:00.000Z';
      const maker = makers[store];
      const sale = await maker.make(lines, {
        ...(extra.buyerEmail === undefined ? {} : { buyerEmail: extra.buyerEmail }),
        staffId: extra.staffId ?? null,
        shiftId: extra.shiftId ?? null,
      });
      const response = await pushFacts(t.app, maker.credentials.token, 'sales', [sale]);
      if (response.statusCode !== 200) throw new Error(`push refused: ${response.body}`);
      return sale;
    },
    async voidSale(sale, extra = {}) {
      const response = await pushFacts(t.app, main.token, 'voids', [
        voidOf(sale, {
          reason: 'Rang up twice',
          staffId: extra.staffId ?? null,
          approvedBy: extra.approvedBy ?? null,
          createdAt: extra.createdAt ?? sale.createdAt,
        }),
      ]);
      if (response.statusCode !== 200) throw new Error(`void refused: ${response.body}`);
    },
    async refundLines(sale, lineIds, extra = {}) {
      const indexes = sale.lines.flatMap((line, index) =>
        lineIds.includes(line.lineId) ? [index] : [],
      );
      const response = await pushFacts(t.app, main.token, 'refunds', [
        refundOf(sale, indexes, {
          reason: 'Changed their mind',
          staffId: extra.staffId ?? null,
          approvedBy: extra.approvedBy ?? null,
          createdAt: extra.createdAt ?? sale.createdAt,
        }),
      ]);
      if (response.statusCode !== 200) throw new Error(`refund refused: ${response.body}`);
    },
  };
}
