import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { squash } from '../test-support/portal.ts';
import { templateOf } from '../templates/templates.ts';
import { signedInAs, type DashboardBrowser } from './test-kit.ts';

let t: TestApp;
let manager: DashboardBrowser;
let otherStoreId: string;
let published: string[];
beforeEach(async () => {
  t = await createTestApp();
  otherStoreId = (await t.addStore('Other Shop')).id;
  manager = await signedInAs(t, 'manager');
  published = [];
  t.notifier.subscribe(t.store.id, (collections) => published.push(...collections));
});
afterEach(async () => {
  await t.close();
});

const product = (name: string) =>
  t.db.selectFrom('products').selectAll().where('name', '=', name).executeTakeFirst();
const actions = () => t.db.selectFrom('dashboard_actions').selectAll().orderBy('at').execute();

async function addProduct(
  browser: DashboardBrowser,
  storeId: string,
  fields: Record<string, string> = {},
) {
  return browser.post('/dashboard/catalogue/products', {
    storeId,
    name: 'Eye test voucher',
    description: 'One eye test',
    kind: 'voucher',
    price: '39.90',
    barcode: '2000000000999',
    active: 'on',
    ...fields,
  });
}

describe('catalogue: refusals', () => {
  it("neither shows nor changes another store's catalogue for a manager", async () => {
    expect((await manager.get(`/dashboard/catalogue?store=${otherStoreId}`)).statusCode).toBe(404);
    expect((await addProduct(manager, otherStoreId)).statusCode).toBe(404);
    const admin = await signedInAs(t, 'admin');
    expect((await addProduct(admin, otherStoreId)).statusCode).toBe(303);
    const theirs = await product('Eye test voucher');
    expect(
      (await manager.get(`/dashboard/catalogue/products/${theirs?.id ?? ''}`)).statusCode,
    ).toBe(404);
    const refused = await manager.post(`/dashboard/catalogue/products/${theirs?.id ?? ''}`, {
      name: 'Renamed',
      price: '1',
    });
    expect(refused.statusCode).toBe(404);
    expect((await product('Eye test voucher'))?.price).toBe(3990);
  });

  it('explains a bad price, barcode or name and adds nothing', async () => {
    const response = await addProduct(manager, t.store.id, {
      name: '',
      price: '12.345',
      barcode: 'has space',
    });
    expect(response.statusCode).toBe(400);
    const page = squash(response.body);
    expect(page).toContain('Give a name of 1 to 120 characters.');
    expect(page).toContain('Type the price in EUR, like 25 or 12.50.');
    expect(page).toContain('A barcode is 4 to 48 letters, digits or symbols, without spaces.');
    expect(await t.db.selectFrom('products').selectAll().execute()).toEqual([]);
    expect(published).toEqual([]);
  });

  it('refuses an invalid template with the reason, keeps the text, and changes nothing', async () => {
    await addProduct(manager, t.store.id);
    const added = await product('Eye test voucher');
    const url = `/dashboard/catalogue/products/${added?.id ?? ''}/template`;
    const broken = await manager.post(url, { template: '{"kind": "voucher",' });
    expect(broken.statusCode).toBe(400);
    expect(squash(broken.body)).toContain('This is not valid JSON');
    const invalid = await manager.post(url, { template: '{"kind":"licence","seats":0}' });
    expect(invalid.statusCode).toBe(400);
    expect(squash(invalid.body)).toContain('is not valid:');
    expect(invalid.body).toContain('&quot;seats&quot;:0');
    expect(await templateOf(t.db, added?.id ?? '')).toBeUndefined();
  });
});

describe('catalogue', () => {
  it('adds a product, edits it with a new seq, sets its template; each recorded and published', async () => {
    expect((await addProduct(manager, t.store.id)).statusCode).toBe(303);
    const added = await product('Eye test voucher');
    expect(added).toMatchObject({ price: 3990, currency: 'EUR', active: 1, store_id: t.store.id });
    const url = `/dashboard/catalogue/products/${added?.id ?? ''}`;
    const edit = await manager.get(url);
    expect(edit.body).toContain('value="39.90"');

    const saved = await manager.post(url, {
      name: 'Eye test',
      description: '',
      price: '45',
      barcode: '',
      taxClassId: '',
    });
    expect(saved.statusCode).toBe(303);
    const after = await product('Eye test');
    expect(after).toMatchObject({ price: 4500, active: 0, barcode: null, kind: 'voucher' });
    expect(after?.seq).toBeGreaterThan(added?.seq ?? Infinity);

    const template = {
      kind: 'voucher',
      validity: { kind: 'days', days: 90 },
      fulfilment: { action: 'none' },
    };
    expect(
      (await manager.post(`${url}/template`, { template: JSON.stringify(template) })).statusCode,
    ).toBe(303);
    expect((await templateOf(t.db, after?.id ?? ''))?.validity).toEqual({ kind: 'days', days: 90 });
    const page = await manager.get(`${url}?done=template`);
    expect(squash(page.body)).toContain('Template saved.');
    expect(page.body).toContain('&quot;days&quot;: 90');

    expect((await actions()).map((a) => a.action)).toEqual([
      'product.create',
      'product.update',
      'product.template',
    ]);
    expect(published).toEqual(['products', 'products', 'products']);
    const list = squash((await manager.get('/dashboard/catalogue')).body);
    expect(list).toContain('Eye test');
    expect(list).toContain('Off sale');
  });
});

describe('catalogue: a stored template that breaks the rules', () => {
  it('is shown with the reason so it can be fixed, instead of failing the page', async () => {
    await addProduct(manager, t.store.id);
    const added = await product('Eye test voucher');
    await t.db
      .insertInto('product_templates')
      .values({
        product_id: added?.id ?? '',
        template: '{"kind":"licence","seats":0}',
        updated_at: 'x',
      })
      .execute();
    const page = await manager.get(`/dashboard/catalogue/products/${added?.id ?? ''}`);
    expect(page.statusCode).toBe(200);
    expect(squash(page.body)).toContain('Stored template of');
    expect(squash(page.body)).toContain('Correct it and save.');
  });
});
