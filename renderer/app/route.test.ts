import { describe, expect, it } from 'vitest';
import { hrefOf, parseRoute } from './route.ts';

describe('routes', () => {
  it.each([
    ['', { screen: 'sell' }],
    ['#/sell', { screen: 'sell' }],
    ['#/tender', { screen: 'tender' }],
    ['#/sales', { screen: 'sales' }],
    ['#/customer-display', { screen: 'customer-display' }],
    ['#/receipt/abc-1/new', { screen: 'receipt', saleId: 'abc-1', fresh: true }],
    ['#/receipt/abc-1', { screen: 'receipt', saleId: 'abc-1', fresh: false }],
    ['#/receipt', { screen: 'sell' }],
    ['#/nonsense', { screen: 'sell' }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    expect(parseRoute(hrefOf(parseRoute(hash)))).toEqual(route);
  });
});
