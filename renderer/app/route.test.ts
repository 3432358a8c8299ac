import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hashAfterInterruptedCheckout, hrefOf, navigate, parseRoute } from './route.ts';

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

describe('after a checkout interrupted by a crash', () => {
  it('opens the receipt of the sale finished on start when the till was on the payment screen', () => {
    expect(hashAfterInterruptedCheckout('#/tender', 'sale-1')).toBe('#/receipt/sale-1/new');
  });

  it('stays where it was otherwise', () => {
    expect(hashAfterInterruptedCheckout('#/tender', null)).toBeNull();
    expect(hashAfterInterruptedCheckout('#/receipt/sale-1/new', 'sale-1')).toBeNull();
    expect(hashAfterInterruptedCheckout('#/sales', 'sale-1')).toBeNull();
  });
});

describe('navigate', () => {
  type Painted = () => void;
  let frames: Painted[];
  let pushed: string[];
  let heard: string[];

  beforeEach(() => {
    vi.useFakeTimers();
    frames = [];
    pushed = [];
    heard = [];
    const location = { hash: '#/tender', href: 'http://till.test/#/tender' };
    const target = new EventTarget();
    vi.stubGlobal(
      'HashChangeEvent',
      class extends Event {
        readonly newURL: string;
        constructor(type: string, init: { newURL: string }) {
          super(type);
          this.newURL = init.newURL;
        }
      },
    );
    vi.stubGlobal('window', Object.assign(target, { location }));
    vi.stubGlobal('history', {
      state: null,
      pushState: (_state: unknown, _title: string, href: string) => {
        pushed.push(href);
        location.hash = href;
        location.href = `http://till.test/${href}`;
      },
    });
    vi.stubGlobal('requestAnimationFrame', (frame: Painted) => frames.push(frame));
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
    target.addEventListener('hashchange', (event) => {
      heard.push((event as unknown as { newURL: string }).newURL);
    });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('writes the URL at once by default', () => {
    navigate({ screen: 'sales' });
    expect(pushed).toEqual(['#/sales']);
    expect(heard).toEqual(['http://till.test/#/sales']);
  });

  it('with urlAfterPaint, announces the screen now and writes its URL once it has painted', () => {
    navigate({ screen: 'receipt', saleId: 's-1', fresh: true }, { urlAfterPaint: true });
    expect(heard).toEqual(['http://till.test/#/receipt/s-1/new']);
    expect(pushed).toEqual([]);
    // The same screen again is no navigation, though its URL is not written yet.
    navigate({ screen: 'receipt', saleId: 's-1', fresh: true });
    expect(heard).toHaveLength(1);
    for (const frame of frames) frame();
    expect(pushed).toEqual([]); // the frame is drawn in the task after its callbacks
    vi.advanceTimersByTime(0);
    expect(pushed).toEqual(['#/receipt/s-1/new']);
    vi.advanceTimersByTime(1000); // written once
    expect(pushed).toHaveLength(1);
  });

  it('writes only the last URL when the cashier moves on before the paint', () => {
    navigate({ screen: 'receipt', saleId: 's-1', fresh: true }, { urlAfterPaint: true });
    navigate({ screen: 'sell' });
    vi.advanceTimersByTime(1000);
    expect(pushed).toEqual(['#/sell']);
    expect(heard).toEqual(['http://till.test/#/receipt/s-1/new', 'http://till.test/#/sell']);
  });

  it('keeps showing the screen when the browser ignores the URL (its rate limit)', () => {
    vi.stubGlobal('history', { state: null, pushState: () => undefined });
    navigate({ screen: 'receipt', saleId: 's-1', fresh: true }, { urlAfterPaint: true });
    vi.advanceTimersByTime(1000);
    // Still the receipt: the same route again is no navigation, another one is.
    navigate({ screen: 'receipt', saleId: 's-1', fresh: true });
    expect(heard).toEqual(['http://till.test/#/receipt/s-1/new']);
    navigate({ screen: 'sell' });
    expect(heard).toHaveLength(2);
  });

  it('writes the URL anyway when no frame comes (a hidden window)', () => {
    navigate({ screen: 'receipt', saleId: 's-1', fresh: true }, { urlAfterPaint: true });
    vi.advanceTimersByTime(100);
    expect(pushed).toEqual(['#/receipt/s-1/new']);
  });
});
