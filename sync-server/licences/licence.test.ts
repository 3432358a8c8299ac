import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LicenceFile } from '../../shared/templates/licence.ts';
import { verifyLicenceFile } from '../../shared/templates/verify-licence.ts';
import {
  TEAM_LICENCE,
  eventsOf,
  holderWorld,
  type HolderWorld,
} from '../onboarding/holder.test-support.ts';
import { entitlementOf } from '../test-support/entitlements.ts';
import { portalClient, squash, type PortalClient } from '../test-support/portal.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';

let w: HolderWorld;
let code: string;
let phone: PortalClient;
beforeEach(async () => {
  w = await holderWorld();
  code = await w.sell(TEAM_LICENCE);
  phone = await w.claim(code, 'ana@example.test');
  await phone.get(`/account/codes/${code}`);
});
afterEach(async () => {
  await w.close();
});

const people = (count: number, from = 1) =>
  Array.from({ length: count }, (_, i) => `person${String(i + from)}@example.test`);
const files = () =>
  w.t.db
    .selectFrom('licence_files')
    .selectAll()
    .where('code', '=', code)
    .orderBy('issued_at')
    .execute();

async function publicKey(): Promise<string> {
  const answer = await w.t.app.inject({ method: 'GET', url: '/licence-key' });
  expect(answer.statusCode).toBe(200);
  return answer.json<{ publicKey: string }>().publicKey;
}

async function download(client: PortalClient): Promise<unknown> {
  const answer = await client.get(`/account/codes/${code}/licence`);
  expect(answer.statusCode).toBe(200);
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(answer.headers['content-disposition']).toBe(`attachment; filename="licence-${code}.json"`);
  return JSON.parse(answer.body) as unknown;
}

describe('licences: refusals', () => {
  it('refuses more people than seats, and an empty list, with 400 and nothing stored', async () => {
    const tooMany = await phone.post(`/account/codes/${code}/onboard`, {
      seats: people(26).join('\n'),
    });
    expect(tooMany.statusCode).toBe(400);
    expect(squash(tooMany.body)).toContain('This licence has 25 seats; 26 people were given.');
    expect(squash(tooMany.body)).toContain(
      'aria-invalid="true" aria-describedby="seats-hint seats-error"',
    );
    expect(tooMany.body).toContain(people(26).join('\n'));
    const empty = await phone.post(`/account/codes/${code}/onboard`, { seats: '\n  \n' });
    expect(squash(empty.body)).toContain('Give at least one e-mail address, one per line.');
    expect((await entitlementOf(w.t.db, code)).state).toBe('claimed');
    expect(await files()).toEqual([]);
    expect(await w.t.db.selectFrom('seat_assignments').selectAll().execute()).toEqual([]);
  });

  it('hands the file to nobody but the holder, and not before it is active', async () => {
    expect((await phone.get(`/account/codes/${code}/licence`)).statusCode).toBe(404);
    await phone.post(`/account/codes/${code}/onboard`, { seats: people(2).join('\n') });
    const stranger = portalClient(w.t.app);
    expect((await stranger.get(`/account/codes/${code}/licence`)).headers.location).toBe('/signin');
  });
});

describe('licences', () => {
  it('signs over canonical JSON: keys sorted at every level, arrays in order, no whitespace', () => {
    const value = { b: [3, { y: 1, x: 2 }], a: 'é', c: null };
    expect(canonicalJson(value)).toBe('{"a":"é","b":[3,{"x":2,"y":1}],"c":null}');
  });

  it('assigns 25 seats from one textarea, activates the code and issues a signed file', async () => {
    const posted = await phone.post(`/account/codes/${code}/onboard`, {
      seats: ` ${people(25).join('\r\n')}\n\n`,
    });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe(`/account/codes/${code}/registered`);
    expect((await entitlementOf(w.t.db, code)).state).toBe('active');
    expect(
      (await eventsOf(w.t, code)).slice(2).map(([from, to, , reason]) => [from, to, reason]),
    ).toEqual([
      ['claimed', 'onboarded', 'registered by the holder'],
      ['onboarded', 'active', 'licence file issued'],
    ]);
    const seats = await w.t.db.selectFrom('seat_assignments').selectAll().orderBy('seat').execute();
    expect(seats.map((seat) => [seat.seat, seat.email])).toEqual(
      people(25).map((email, i) => [i + 1, email]),
    );

    const file = LicenceFile.parse(await download(phone));
    expect(file).toMatchObject({
      code,
      productId: 'prod-team-licence',
      licensee: 'ana@example.test',
    });
    expect(file.seats).toHaveLength(25);
    expect(await verifyLicenceFile(file, await publicKey())).toMatchObject({ valid: true });

    await w.t.outbox.runOnce();
    await w.t.outbox.runOnce();
    expect(w.lastMailTo('person25@example.test')?.subject).toBe(
      'You have a seat of Design Suite team licence — 25 seats',
    );
    expect(w.lastMailTo('person1@example.test')?.text).toContain('You were given seat 1');
    expect(w.lastMailTo('ana@example.test')?.subject).toBe(
      'Registered: your Design Suite team licence — 25 seats',
    );
    const page = squash((await phone.get(`/account/codes/${code}`)).body);
    expect(page).toContain('<dd data-seats>25 of 25 assigned</dd>');
    expect(page).toContain('Download the licence file');
  });

  it('reissues the file when the seats change, supersedes the old one and tells only new people', async () => {
    await phone.post(`/account/codes/${code}/onboard`, { seats: people(3).join('\n') });
    await w.t.outbox.runOnce();
    const first = LicenceFile.parse(await download(phone));
    const page = (await phone.get(`/account/codes/${code}`)).body;
    expect(page).toContain(`>\n${people(3).join('\n')}</textarea>`);
    const mailsBefore = w.smtp.received.length;

    w.t.clock.advance(60_000);
    const reseated = await phone.post(`/account/codes/${code}/seats`, {
      seats: ['person2@example.test', 'person3@example.test', 'newcomer@example.test'].join('\n'),
    });
    expect(reseated.statusCode).toBe(303);
    const second = LicenceFile.parse(await download(phone));
    expect(second.licenceId).not.toBe(first.licenceId);
    expect(second.seats.map((seat) => seat.email)).toEqual([
      'person2@example.test',
      'person3@example.test',
      'newcomer@example.test',
    ]);
    expect((await files()).map((row) => [row.id, row.superseded_at])).toEqual([
      [first.licenceId, '2026-11-26T10:01:00.000Z'],
      [second.licenceId, null],
    ]);
    expect(await verifyLicenceFile(second, await publicKey())).toMatchObject({ valid: true });
    await w.t.outbox.runOnce();
    expect(w.smtp.received.slice(mailsBefore).flatMap((mail) => mail.to)).toEqual([
      'newcomer@example.test',
    ]);

    const refused = await phone.post(`/account/codes/${code}/seats`, { seats: 'nope' });
    expect(refused.statusCode).toBe(400);
    expect(squash(refused.body)).toContain('Seat 1: “nope” is not an e-mail address.');
    expect(await files()).toHaveLength(2);
  });

  it('serves one stable public key as base64url and PEM', async () => {
    const first = await w.t.app.inject({ method: 'GET', url: '/licence-key' });
    const again = await w.t.app.inject({ method: 'GET', url: '/licence-key' });
    expect(first.json()).toEqual(again.json());
    expect(first.json()).toMatchObject({
      algorithm: 'Ed25519',
      publicKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as string,
      pem: expect.stringContaining('-----BEGIN PUBLIC KEY-----') as string,
    });
    const row = await w.t.db.selectFrom('signing_keys').selectAll().executeTakeFirstOrThrow();
    expect(row.name).toBe('licence');
    expect(row.private_key_enc).toMatch(/^v1\./);
  });
});
