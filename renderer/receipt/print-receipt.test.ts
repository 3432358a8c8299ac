import { describe, expect, it } from 'vitest';
import type { EscPosPrintRequest, PrintRequest } from '../../electron/bridge-contract.ts';
import { sampleSale } from '../../shared/receipt/receipt-fixtures.test-support.ts';
import { buildReceipt } from '../../shared/receipt/receipt-model.ts';
import { RELAY_OFFLINE_MESSAGE, relayEscPos, toBase64 } from './print-relay.ts';
import { printReceiptOn } from './print-receipt.ts';
import { resendReceipt } from './resend-receipt.ts';
import { testCredentials } from '../checkout/test-fixtures.ts';

const receipt = buildReceipt({
  sale: sampleSale(),
  store: { name: 'Corner Shop' },
  terminalName: 'Till 1',
  redeemBaseUrl: 'https://shop.example/redeem',
  templates: new Map(),
});
const PULSE = [0x1b, 0x70, 0x00];

function fakeBridge() {
  const escpos: EscPosPrintRequest[] = [];
  const html: PrintRequest[] = [];
  return {
    escpos,
    html,
    printEscPos: (request: EscPosPrintRequest) => {
      escpos.push(request);
      return Promise.resolve({ ok: true as const });
    },
    printReceipt: (request: PrintRequest) => {
      html.push(request);
      return Promise.resolve({ ok: true as const });
    },
  };
}

const contains = (bytes: Uint8Array, needle: number[]) =>
  Buffer.from(bytes).includes(Buffer.from(needle));

describe('printReceiptOn', () => {
  it('sends ESC/POS bytes to a network printer, with the drawer only when asked', async () => {
    const bridge = fakeBridge();
    const choice = { kind: 'network', host: '192.168.1.50', port: 9100, columns: 48 } as const;
    await printReceiptOn(choice, receipt, bridge, { openDrawer: true, desktop: false });
    await printReceiptOn(choice, receipt, bridge, { openDrawer: false, desktop: false });
    expect(bridge.escpos.map((r) => [r.host, r.port])).toEqual([
      ['192.168.1.50', 9100],
      ['192.168.1.50', 9100],
    ]);
    expect(contains(bridge.escpos[0]!.bytes, PULSE)).toBe(true);
    expect(contains(bridge.escpos[1]!.bytes, PULSE)).toBe(false);
    expect(bridge.html).toEqual([]);
  });

  it('prints the page silently on an installed printer, else through the dialog', async () => {
    const bridge = fakeBridge();
    const options = { openDrawer: false, desktop: true };
    await printReceiptOn({ kind: 'installed', printerName: 'TM-T20' }, receipt, bridge, options);
    await printReceiptOn({ kind: 'dialog' }, receipt, bridge, options);
    await printReceiptOn({ kind: 'none' }, receipt, bridge, options);
    await printReceiptOn({ kind: 'none' }, receipt, bridge, { ...options, desktop: false });
    expect(bridge.html).toEqual([
      { mode: 'silent', printerName: 'TM-T20' },
      { mode: 'dialog' },
      { mode: 'silent' },
      { mode: 'dialog' },
    ]);
  });
});

describe('the web POS relay through the server', () => {
  const request = { host: '192.168.1.50', port: 9100, bytes: new Uint8Array([0x1b, 0x40, 0xff]) };

  it('says the server is offline when it cannot be reached', async () => {
    const result = await relayEscPos(request, testCredentials, () =>
      Promise.reject(new TypeError('Failed to fetch')),
    );
    expect(result).toEqual({ ok: false, message: RELAY_OFFLINE_MESSAGE });
  });

  it("passes on the server's sentence when it refuses", async () => {
    const refusal = {
      error: 'printer_not_local',
      message: '8.8.8.8 is not on the shop’s own network.',
    };
    const result = await relayEscPos(request, testCredentials, () =>
      Promise.resolve(new Response(JSON.stringify(refusal), { status: 403 })),
    );
    expect(result).toEqual({ ok: false, message: refusal.message });
  });

  it('posts the bytes as base64 with the terminal token', async () => {
    const calls: { url: unknown; init: RequestInit | undefined }[] = [];
    const result = await relayEscPos(request, testCredentials, (url, init) => {
      calls.push({ url, init });
      return Promise.resolve(new Response('{"ok":true}', { status: 200 }));
    });
    expect(result).toEqual({ ok: true });
    expect(calls[0]?.url).toBe(`${testCredentials.serverUrl}/api/v1/print/escpos`);
    expect(JSON.parse(calls[0]?.init?.body as string)).toEqual({
      host: '192.168.1.50',
      port: 9100,
      bytes: toBase64(request.bytes),
    });
    expect(Buffer.from(toBase64(request.bytes), 'base64')).toEqual(Buffer.from(request.bytes));
  });
});

describe('resendReceipt', () => {
  it('refuses an address that is not one before calling the server', async () => {
    const result = await resendReceipt(testCredentials, { saleId: 's', email: 'nope' }, () => {
      throw new Error('must not be called');
    });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('e-mail address');
  });

  it("passes on the server's 404 for a sale that has not synced", async () => {
    const message = 'This sale has not reached the server yet; it will be e-mailed when it syncs.';
    const result = await resendReceipt(
      testCredentials,
      { saleId: 'sale-1', email: 'ana@example.test' },
      () =>
        Promise.resolve(
          new Response(JSON.stringify({ error: 'sale_not_synced', message }), { status: 404 }),
        ),
    );
    expect(result).toEqual({ ok: false, message });
  });
});
