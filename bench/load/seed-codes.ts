import { enrolApiTerminal } from '../../test/support/api-terminal.ts';
import type { LineInput } from '../../sync-server/test-support/sales.ts';

/**
 * A product sold before templates existed: the only kind a customer may redeem on the spot on the
 * portal (gift cards, vouchers, tickets and licences are claimed or registered instead), as in
 * sync-server/redeem/redeem.test.ts.
 */
const ENTRY: LineInput = {
  productId: 'prod-before-templates',
  name: 'Museum entry',
  kind: 'voucher',
  unitPrice: 1200,
  quantity: 5,
};
const SALES_PER_PUSH = 50;

/**
 * Sells `count` redeemable codes through the API as a till does (demo enrolment, codes issued
 * under the terminal's key, pushed in batches), so the portal finds real sales with real MACs.
 */
export async function sellCodes(
  serverUrl: string,
  count: number,
  log: (message: string) => void,
): Promise<string[]> {
  const till = await enrolApiTerminal(serverUrl, 'Load till');
  const codes: string[] = [];
  let logged = 0;
  while (codes.length < count) {
    const sales = [];
    for (let i = 0; i < SALES_PER_PUSH && codes.length < count; i++) {
      const sale = await till.makeSale([ENTRY]);
      sales.push(sale);
      codes.push(...sale.lines.flatMap((line) => line.codes));
    }
    await till.push('sales', sales);
    if (codes.length - logged >= 1000) {
      logged = codes.length;
      log(`sold ${String(codes.length)} of ${String(count)} codes`);
    }
  }
  return codes;
}
