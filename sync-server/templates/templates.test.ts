import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VOUCHER_SUBJECT_FIELDS } from '../../shared/templates/onboarding-fields.ts';
import { ProductTemplate } from '../../shared/templates/product-template.ts';
import { DEMO_PRODUCTS, seedDemoCatalogue } from '../catalogue/demo-catalogue.ts';
import { openTestDatabase } from '../test-support/test-database.ts';
import type { Db } from '../db/schema.ts';
import { testClock } from '../test-support/harness.ts';
import { TemplateRefused, setProductTemplate, templateOf, templatesOf } from './templates.ts';

let db: Db;
const clock = testClock();
beforeEach(async () => {
  db = await openTestDatabase();
  await seedDemoCatalogue(db, clock.now);
});
afterEach(async () => {
  await db.destroy();
});

const GIFT = {
  kind: 'gift_card',
  initialBalance: 2500,
  currency: 'EUR',
  validity: { kind: 'days', days: 365 },
  fulfilment: { action: 'none' },
};
const stored = () => db.selectFrom('product_templates').selectAll().orderBy('product_id').execute();

describe('product templates: refusals', () => {
  it('refuses a template the shared schema refuses, and writes nothing', async () => {
    const before = await stored();
    const bad: [unknown, RegExp][] = [
      [{ ...GIFT, initialBalance: 0 }, /balance above zero/],
      [{ ...GIFT, kind: 'coupon' }, /kind/],
      [{ kind: 'licence', seats: 0, validity: null, fulfilment: { action: 'none' } }, /seats/],
      [
        { kind: 'voucher', onboarding: [], validity: null, fulfilment: { action: 'none' } },
        /required subject field/,
      ],
      [{ ...GIFT, fulfilment: { action: 'licence-file' } }, /licence file/],
      ['{"kind":"gift_card"}', /not valid/],
    ];
    for (const [template, message] of bad) {
      await expect(setProductTemplate(db, 'prod-gift-25', template, clock.now)).rejects.toThrow(
        message,
      );
    }
    expect(await stored()).toEqual(before);
  });

  it('refuses a template for a missing product, or a gift card in another currency', async () => {
    await expect(setProductTemplate(db, 'prod-nope', GIFT, clock.now)).rejects.toBeInstanceOf(
      TemplateRefused,
    );
    await expect(
      setProductTemplate(db, 'prod-gift-25', { ...GIFT, currency: 'GBP' }, clock.now),
    ).rejects.toThrow(/holds GBP, but the product sells in EUR/);
  });

  it('refuses on read a stored template edited into something invalid', async () => {
    await db
      .updateTable('product_templates')
      .set({ template: JSON.stringify({ ...GIFT, initialBalance: -5 }) })
      .where('product_id', '=', 'prod-gift-25')
      .execute();
    await expect(templateOf(db, 'prod-gift-25')).rejects.toThrow(/invalid/);
  });
});

describe('product templates', () => {
  it('stores a template with its defaults applied and replaces it on a second set', async () => {
    await setProductTemplate(
      db,
      'prod-flu-vaccine',
      { kind: 'voucher', validity: null, fulfilment: { action: 'none' } },
      clock.now,
    );
    expect(await templateOf(db, 'prod-flu-vaccine')).toMatchObject({
      kind: 'voucher',
      onboarding: VOUCHER_SUBJECT_FIELDS,
    });
    await setProductTemplate(db, 'prod-gift-25', { ...GIFT, initialBalance: 3000 }, clock.now);
    expect(await templateOf(db, 'prod-gift-25')).toMatchObject({ initialBalance: 3000 });
    expect(await templateOf(db, 'prod-unknown')).toBeUndefined();
  });

  it('gives the product a new seq on every set, so terminals pull the new template', async () => {
    const seqOf = async (): Promise<number> =>
      (
        await db
          .selectFrom('products')
          .select('seq')
          .where('id', '=', 'prod-gift-25')
          .executeTakeFirstOrThrow()
      ).seq;
    const before = await seqOf();
    await setProductTemplate(db, 'prod-gift-25', { ...GIFT, initialBalance: 3000 }, clock.now);
    const after = await seqOf();
    expect(after).toBeGreaterThan(before);
    await setProductTemplate(db, 'prod-gift-25', { ...GIFT, initialBalance: 3500 }, clock.now);
    expect(await seqOf()).toBeGreaterThan(after);
  });

  it("looks templates up only among the store's own products", async () => {
    expect([...(await templatesOf(db, 'demo-store', ['prod-gift-25', 'x'])).keys()]).toEqual([
      'prod-gift-25',
    ]);
    expect((await templatesOf(db, 'another-store', ['prod-gift-25'])).size).toBe(0);
  });

  it('gives every demo product a valid template; gift cards start at their price', async () => {
    for (const product of DEMO_PRODUCTS) {
      const template = await templateOf(db, product.id);
      expect(ProductTemplate.safeParse(template).success, product.id).toBe(true);
      expect(template?.kind).toBe(product.kind);
      if (template?.kind === 'gift_card') expect(template.initialBalance).toBe(product.price);
    }
    expect(await templateOf(db, 'prod-design-suite')).toMatchObject({ seats: 1 });
    expect(await templateOf(db, 'prod-winter-gala')).toMatchObject({ eventName: 'Winter Gala' });
  });

  it('seeds idempotently and never overwrites an edited template', async () => {
    await setProductTemplate(db, 'prod-gift-50', { ...GIFT, initialBalance: 5500 }, clock.now);
    const before = await stored();
    clock.advance(60_000);
    await seedDemoCatalogue(db, clock.now);
    expect(await stored()).toEqual(before);
    await db.deleteFrom('product_templates').where('product_id', '=', 'prod-pcr-test').execute();
    await seedDemoCatalogue(db, clock.now);
    expect(await templateOf(db, 'prod-pcr-test')).toMatchObject({ kind: 'voucher' });
    expect(await templateOf(db, 'prod-gift-50')).toMatchObject({ initialBalance: 5500 });
  });
});
