import { describe, expect, it } from 'vitest';
import { testProduct } from '../checkout/test-fixtures.ts';
import { createCatalogueSearch } from './catalogue-search.ts';
import { indexProducts, searchIndex } from './queries.ts';

const catalogue = Array.from({ length: 300 }, (_, index) =>
  testProduct(`p${String(index)}`, 100 + index, {
    name: `${['Spa day', 'Yoga Class', 'Weekend boat'][index % 3] ?? ''} ${String(index).padStart(3, '0')}`,
    kind: index % 4 === 0 ? 'gift_card' : 'voucher',
  }),
);
const ids = (products: readonly { id: string }[]) => products.map((product) => product.id);

describe('the catalogue search that narrows as the cashier types', () => {
  it('answers every step of typing, deleting and retyping as a fresh search would', () => {
    const index = indexProducts(catalogue);
    const search = createCatalogueSearch(index);
    const steps: string[] = [];
    for (const query of ['yoga class 1', 'spa day 04', 'weekend boat 2']) {
      for (let end = 1; end <= query.length; end += 1) steps.push(query.slice(0, end));
      steps.push('yoga', 'yo', 'yog', 'YOGA C', 'yoga c', 'gift', '', 'boat', 'boat 1', 'oat');
    }
    for (const text of steps) {
      expect(ids(search(text)), text).toEqual(ids(searchIndex(index, text)));
    }
  });

  it('tests only the previous matches while a query grows', () => {
    const index = indexProducts(catalogue);
    let reads = 0;
    const counted = {
      products: index.products,
      haystacks: new Proxy([...index.haystacks], {
        get(target, property, receiver) {
          if (typeof property === 'string' && /^\d+$/.test(property)) reads += 1;
          return Reflect.get(target, property, receiver) as unknown;
        },
      }),
    };
    const search = createCatalogueSearch(counted);
    search('yoga');
    expect(reads).toBe(catalogue.length);
    reads = 0;
    const narrowed = search('yoga c');
    expect(reads).toBe(100);
    expect(narrowed).toHaveLength(100);
    reads = 0;
    search('yoga');
    expect(reads).toBe(catalogue.length);
  });

  it('gives the whole catalogue, as a new list, for an empty query', () => {
    const index = indexProducts(catalogue);
    const search = createCatalogueSearch(index);
    const all = search('  ');
    expect(ids(all)).toEqual(ids(catalogue));
    expect(all).not.toBe(search(''));
  });
});
