import { describe, expect, it } from 'vitest';
import { hrefOf, parseRoute, type Route } from '../app/route.ts';

describe('the shift and manager routes', () => {
  it('round-trip through the URL hash, so a reload stays on the same screen', () => {
    const routes: Route[] = [
      { screen: 'cash', direction: 'in' },
      { screen: 'cash', direction: 'out' },
      { screen: 'close-shift' },
      { screen: 'x-report' },
      { screen: 'z-report', shiftId: 'a b/c' },
      { screen: 'manager' },
    ];
    for (const route of routes) expect(parseRoute(hrefOf(route))).toEqual(route);
  });

  it('reads a bare cash route as cash in, and a Z-report without a shift as the sell screen', () => {
    expect(parseRoute('#/cash')).toEqual({ screen: 'cash', direction: 'in' });
    expect(parseRoute('#/z-report')).toEqual({ screen: 'sell' });
  });
});
