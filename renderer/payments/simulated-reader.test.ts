import { describe, expect, it, vi } from 'vitest';
import { ServerUnreachable } from '../sync/api-client.ts';
import type { Simulated } from './payments-api.ts';
import { SIMULATED_READER_LABEL, createSimulatedReader } from './simulated-reader.ts';

const INTENT = { id: 'pi_test1', clientSecret: 'pi_test1_secret_abc' };

/** The server's simulate answer for each test card, as sync-server/payments/routes.ts gives it. */
function server(answer: (card: string) => Simulated | Promise<Simulated>) {
  return vi.fn((_intentId: string, card: string) => Promise.resolve(answer(card)));
}

const approved = (amountCapturable = 1000): Simulated => ({
  approved: true,
  status: 'requires_capture',
  amountCapturable,
});

async function connectedReader(
  simulate: ReturnType<typeof server>,
  options: { collectTimeoutMs?: number } = {},
) {
  const reader = createSimulatedReader(simulate, { presentDelayMs: 5, ...options });
  const [found] = await reader.discover();
  if (!found) throw new Error('no simulated reader');
  await reader.connect(found);
  return reader;
}

describe('simulated card reader: outcomes the cashier must handle', () => {
  it('refuses to collect with no reader connected', async () => {
    const reader = createSimulatedReader(
      server(() => approved()),
      { presentDelayMs: 5 },
    );
    expect(await reader.collect(INTENT)).toMatchObject({
      kind: 'disconnected',
      message: expect.stringMatching(/Connect the reader first/) as unknown,
    });
  });

  it('declines with the issuer reason and what to do', async () => {
    const simulate = server(() => ({
      approved: false,
      code: 'card_declined',
      declineCode: 'call_issuer',
      message: 'ignored: the reader words it',
    }));
    const reader = await connectedReader(simulate);
    const outcome = await reader.collect(INTENT);
    expect(outcome).toEqual({
      kind: 'declined',
      declineCode: 'call_issuer',
      message:
        'Declined by the card issuer: the customer should call their bank. Ask for another card or take cash.',
    });
    expect(simulate).toHaveBeenCalledWith('pi_test1', 'visa');
  });

  it('declines insufficient funds with its own sentence', async () => {
    const simulate = server((card) =>
      card === 'charge_declined_insufficient_funds'
        ? { approved: false, code: 'card_declined', declineCode: 'insufficient_funds', message: '' }
        : approved(),
    );
    const reader = await connectedReader(simulate);
    reader.setTestCard('charge_declined_insufficient_funds');
    expect(await reader.collect(INTENT)).toMatchObject({
      kind: 'declined',
      message: 'Declined: not enough funds on the card. Ask for another card or take cash.',
    });
  });

  it('is cancelled by the cashier while waiting for a card', async () => {
    const simulate = server(() => approved());
    const reader = await connectedReader(simulate);
    reader.setTestCard('no_card');
    const collecting = reader.collect(INTENT);
    await reader.cancelCollect();
    expect(await collecting).toMatchObject({
      kind: 'cancelled',
      message: expect.stringMatching(/nothing was charged/) as unknown,
    });
    expect(simulate).not.toHaveBeenCalled();
  });

  it('times out when no card is presented', async () => {
    const reader = await connectedReader(
      server(() => approved()),
      { collectTimeoutMs: 30 },
    );
    reader.setTestCard('no_card');
    expect(await reader.collect(INTENT)).toMatchObject({
      kind: 'timeout',
      message: 'No card was presented in time: nothing was charged. Try again, or take cash.',
    });
  });

  it('reports the reader disconnecting mid-payment and forgets the connection', async () => {
    const reader = await connectedReader(server(() => approved()));
    const dropped = vi.fn();
    reader.onDisconnect(dropped);
    reader.setTestCard('reader_disconnect');
    expect(await reader.collect(INTENT)).toMatchObject({
      kind: 'disconnected',
      message: expect.stringMatching(/Reconnect the reader/) as unknown,
    });
    expect(dropped).toHaveBeenCalledOnce();
    expect(reader.connected()).toBeNull();
  });

  it('reports the server or Stripe unreachable as take cash', async () => {
    const simulate = vi.fn(() => Promise.reject(new ServerUnreachable(new Error('down'))));
    const reader = await connectedReader(simulate);
    const outcome = await reader.collect(INTENT);
    expect(outcome.kind).toBe('failed');
    expect(outcome).toMatchObject({ message: expect.stringMatching(/take cash/) as unknown });
  });

  it('authorises the whole amount, or part of it (partial approval)', async () => {
    const reader = await connectedReader(
      server((card) => (card === 'partial_approval' ? approved(500) : approved(1000))),
    );
    expect(reader.connected()).toMatchObject({ label: SIMULATED_READER_LABEL, simulated: true });
    expect(await reader.collect(INTENT)).toEqual({ kind: 'authorised', amountCapturable: 1000 });
    reader.setTestCard('partial_approval');
    expect(await reader.collect(INTENT)).toEqual({ kind: 'authorised', amountCapturable: 500 });
  });
});
