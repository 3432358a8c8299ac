import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  API_PREFIX,
  EnrolResponse,
  HealthResponse,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
} from '../shared/schemas/protocol.ts';
import { startServer, type RunningServer } from './app.ts';
import { enrolTerminal, pushSales, saleMaker } from './test-support/sales.ts';
import { startTestSmtpServer } from './test-support/smtp.ts';

let dataDir: string;
let running: RunningServer[];
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'entitle-server-'));
  running = [];
});
afterEach(async () => {
  for (const server of running) await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(options: Partial<Parameters<typeof startServer>[0]> = {}) {
  const server = await startServer({ dataDir, port: 0, ...options });
  running.push(server);
  return server;
}

describe('startServer', () => {
  it('refuses a port that is taken, with a message that says what to do', async () => {
    const first = await start();
    await expect(start({ port: first.port })).rejects.toThrow(
      `Port ${first.port} on 127.0.0.1 is already in use. Stop the other server or set PORT to a free port.`,
    );
  });

  it('runs a real server whose pairing code enrols a terminal, and keeps it across restarts', async () => {
    const lines: string[] = [];
    const first = await start({
      storeName: 'Corner Pharmacy',
      storeCurrency: 'GBP',
      say: (line) => lines.push(line),
    });
    expect(lines).toEqual([
      `Pair a terminal with code ${first.pairingCode.code} (valid 24 hours)`,
      'No staff yet: create the first admin with `npm run server -- create-admin you@example.com`,',
      `then sign in at http://localhost:${first.port}/dashboard and add your staff and their PINs.`,
      `Entitle sync server listening on ${first.url}`,
      `Customers redeem codes at http://localhost:${first.port}/redeem`,
      `Managers sign in at http://localhost:${first.port}/dashboard`,
      `No SMTP_URL: e-mails are written to ${join(dataDir, 'mail')} instead of being sent`,
    ]);
    const health = HealthResponse.parse(await (await fetch(`${first.url}/health`)).json());
    expect(health.demo).toBe(false);

    const enrolled = await fetch(`${first.url}${API_PREFIX}/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pairingCode: first.pairingCode.code, terminalName: 'Till 1' }),
    });
    const credentials = EnrolResponse.parse(await enrolled.json());
    expect(credentials).toMatchObject({ storeName: 'Corner Pharmacy', currency: 'GBP' });
    await first.stop();
    await first.stop();

    const second = await start({ storeName: 'Ignored on restart' });
    expect(second.store).toEqual(first.store);
    expect(second.pairingCode.code).not.toBe(first.pairingCode.code);
    const pull = await fetch(`${second.url}${API_PREFIX}/sync/products/pull`, {
      headers: {
        authorization: `Bearer ${credentials.token}`,
        [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
      },
    });
    expect(pull.status).toBe(200);
  });

  it('in demo mode serves the demo store and lets terminals enrol themselves', async () => {
    const lines: string[] = [];
    const server = await start({
      demo: true,
      publicUrl: 'https://shop.example.com',
      say: (line) => lines.push(line),
    });
    expect(server.store.id).toBe('demo-store');
    expect(lines).toContain('Demo mode: terminals enrol themselves');
    expect(lines).toContain('Demo staff: Alex (cashier) PIN 2580');
    expect(lines).toContain('Customers redeem codes at https://shop.example.com/redeem');
    const response = await fetch(`${server.url}${API_PREFIX}/enrol/demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ terminalName: 'Demo till' }),
    });
    expect(EnrolResponse.parse(await response.json()).storeId).toBe('demo-store');
  });

  it('delivers the buyer e-mail from its own outbox loop through SMTP_URL', async () => {
    const smtp = await startTestSmtpServer();
    try {
      const lines: string[] = [];
      const server = await start({
        smtpUrl: smtp.url,
        mailFrom: 'Corner Pharmacy <till@pharmacy.example>',
        publicUrl: 'https://pharmacy.example',
        outboxPollMs: 10,
        say: (line) => lines.push(line),
      });
      expect(lines).toContain(`E-mails are sent through ${smtp.url}`);
      const till = await enrolTerminal(server.app, server.pairingCode.code);
      const sale = await saleMaker(till)(undefined, { buyerEmail: 'buyer@example.test' });
      expect((await pushSales(server.app, till.token, [sale])).statusCode).toBe(200);
      await vi.waitFor(() => {
        expect(smtp.received).toHaveLength(1);
      });
      const code = sale.lines[0]?.codes[0] ?? '';
      expect(smtp.received[0]?.parsed.text).toContain(`https://pharmacy.example/redeem/${code}`);
    } finally {
      await smtp.close();
    }
  });
});
