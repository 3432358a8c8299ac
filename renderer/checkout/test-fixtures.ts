import type { Product } from '../../shared/schemas/product.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import type { EntitleDatabase } from '../data/database.ts';

export const testCredentials: TerminalCredentials = {
  serverUrl: 'http://127.0.0.1:1',
  storeId: 'store-1',
  storeName: 'Test shop',
  currency: 'EUR',
  terminalId: 'term-1',
  terminalName: 'Till 1',
  terminalPrefix: 'T1T1',
  token: 't'.repeat(43),
  codeKey: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
  redeemBaseUrl: 'http://127.0.0.1:1/redeem',
  enrolledAt: '2026-11-26T09:00:00.000Z',
};

export function testProduct(id: string, price: number, overrides: Partial<Product> = {}): Product {
  return {
    id,
    storeId: 'store-1',
    name: `Product ${id}`,
    description: '',
    kind: 'voucher',
    price,
    currency: 'EUR',
    active: true,
    template: null,
    barcode: null,
    taxClass: null,
    updatedAt: '2026-11-26T09:00:00.000Z',
    ...overrides,
  };
}

export async function seedProducts(db: EntitleDatabase, products: Product[]): Promise<void> {
  await db.products.bulkInsert(products);
}
