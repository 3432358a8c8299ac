import { describe, expect, it } from 'vitest';
import { encodeShiftReportEscPos } from '../receipt/shift-report-escpos.ts';
import { SHIFT, eventAt, saleOf } from './shift-fixtures.test-support.ts';
import { buildShiftReport, shiftCloseDetail } from './shift-report.ts';
import { shiftReportSheet } from './shift-report-sheet.ts';

const NOW = '2026-11-27T12:00:00.000Z';
const open = eventAt(1, 'shift_open', { float: 10000, currency: 'EUR' });
const sales = [saleOf(1, { total: 2000 }), saleOf(2, { total: 1500, kind: 'gift_card' })];
const context = {
  storeName: 'Corner Shop',
  terminalName: 'Till 1',
  staffName: (id: string | null) => (id === 'staff-alex' ? 'Alex' : (id ?? 'unknown')),
};

/** The shift still open: an X-report of its sales. */
const xReport = () =>
  buildShiftReport({
    shiftId: SHIFT,
    kind: 'X',
    now: NOW,
    events: [open],
    sales,
    voids: [],
    refunds: [],
  });

function zReport() {
  const x = xReport();
  const close = eventAt(
    3,
    'shift_close',
    shiftCloseDetail(
      x,
      new Map([
        [5000, 2],
        [2000, 1],
        [1000, 1],
        [200, 1],
        [50, 1],
        [100, 1],
      ]),
    ),
  );
  return buildShiftReport({
    shiftId: SHIFT,
    kind: 'Z',
    now: NOW,
    events: [open, close],
    sales,
    voids: [],
    refunds: [],
  });
}

const rowsOf = (sheet: ReturnType<typeof shiftReportSheet>) =>
  new Map(sheet.sections.flatMap((section) => section.rows.map((row) => [row.label, row.value])));

describe('shiftReportSheet', () => {
  it('writes the X-report figures a manager reads, without a count', () => {
    const x = xReport();
    const sheet = shiftReportSheet(x, context);
    const rows = rowsOf(sheet);
    expect(sheet.title).toBe('X-report');
    expect(sheet.variance).toBeNull();
    expect(rows.get('Expected in the drawer')).toBe('€135.00');
    expect(rows.get('Opened by')).toBe('Alex');
    expect(rows.get('First receipt')).toBe('AB12-000001');
    expect(rows.get('Gift card')).toBe('1');
    expect(rows.has('Counted')).toBe(false);
    // Nothing voided or refunded reads "€0.00", not "−€0.00".
    expect(rows.get('Voids (0)')).toBe('€0.00');
    expect(rows.get('Cash refunds')).toBe('€0.00');
  });

  it('shows the Z-report count per denomination and the variance with its sign', () => {
    const sheet = shiftReportSheet(zReport(), context);
    const rows = rowsOf(sheet);
    // €135.00 expected; counted 100 + 20 + 10 + 2 + 1 + 0.50 = €133.50.
    expect(rows.get('Counted')).toBe('€133.50');
    expect(rows.get('Variance')).toBe('−€1.50');
    expect(rows.get('2 × €50 notes')).toBe('€100.00');
    expect(rows.get('1 × €0.50 coins')).toBe('€0.50');
    expect(sheet.variance).toEqual({ text: '−€1.50', outcome: 'short' });
  });

  it('prints the same sheet on a thermal printer, in plain characters, with a cut', () => {
    const bytes = encodeShiftReportEscPos(shiftReportSheet(zReport(), context), {
      columns: 32,
      formatInstant: () => '27 Nov 2026, 12:00',
    });
    const text = Buffer.from(bytes).toString('latin1');
    expect(text).toContain('Z-report');
    expect(text).toContain('Variance -');
    expect(text).toContain('Expected in the drawer');
    expect(text).not.toContain('−');
    expect(Buffer.from(bytes).includes(Buffer.from([0x1d, 0x56]))).toBe(true);
    // No drawer pulse: a report never opens the drawer.
    expect(Buffer.from(bytes).includes(Buffer.from([0x1b, 0x70]))).toBe(false);
  });
});
