import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('refuses a port that is not a number and says which variable and how to fix it', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(
      /PORT="eighty" is not valid\. Use a whole/,
    );
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT="70000"/);
  });

  it('reports every wrong variable at once', () => {
    let message = '';
    try {
      loadConfig({
        DEMO: 'yes',
        PUBLIC_URL: 'shop.example.com',
        STORE_CURRENCY: 'euro',
        LOG_LEVEL: 'loud',
      });
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toMatch(/DEMO="yes" is not valid\. Set DEMO=1/);
    expect(message).toMatch(/PUBLIC_URL="shop.example.com" is not valid\. Use the address/);
    expect(message).toMatch(/STORE_CURRENCY="euro" is not valid\. Use a three-letter/);
    expect(message).toMatch(/LOG_LEVEL="loud" is not valid\. Use one of/);
  });

  it('refuses a provisional claim wait that is not 1 to 365 whole days', () => {
    for (const days of ['0', '366', '1.5', 'week']) {
      expect(() => loadConfig({ PROVISIONAL_CLAIM_DAYS: days })).toThrow(
        /PROVISIONAL_CLAIM_DAYS=".+" is not valid\. Use a whole number of days from 1 to 365/,
      );
    }
  });

  it('reads the print relay ports, and refuses a list with anything but ports in it', () => {
    expect(loadConfig({ PRINTER_PORTS: '9100, 9101' }).printerPorts).toEqual([9100, 9101]);
    for (const ports of ['x', '9100,x', '0', '65536', '9100,,9101', '']) {
      expect(() => loadConfig({ PRINTER_PORTS: ports }), ports).toThrow(
        /PRINTER_PORTS=".*" is not valid\. List the TCP ports receipt printers listen on/,
      );
    }
  });

  it('refuses an empty store name', () => {
    expect(() => loadConfig({ STORE_NAME: '   ' })).toThrow(/STORE_NAME/);
  });

  it('has defaults for everything', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:8787',
      demo: false,
      storeName: 'My shop',
      storeCurrency: 'EUR',
      logLevel: 'info',
      mailFrom: 'Entitle <no-reply@localhost>',
      provisionalClaimDays: 7,
      printerPorts: [9100],
    });
    expect(config.smtpUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/data$/);
  });

  it('reads every variable, derives the public URL from the port and drops a trailing slash', () => {
    expect(loadConfig({ PORT: '9000' }).publicUrl).toBe('http://localhost:9000');
    // PORT=0 picks a free port at listen time; the server derives the link base then.
    expect(loadConfig({ PORT: '0' }).publicUrl).toBeUndefined();
    const config = loadConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      DATA_DIR: '/tmp/entitle',
      PUBLIC_URL: 'https://shop.example.com/',
      DEMO: '1',
      STORE_NAME: ' Corner Pharmacy ',
      STORE_CURRENCY: 'GBP',
      LOG_LEVEL: 'debug',
      SMTP_URL: 'smtps://shop:secret@mail.example.com:465',
      MAIL_FROM: ' Corner Pharmacy <till@pharmacy.example> ',
      PROVISIONAL_CLAIM_DAYS: '14',
      PRINTER_PORTS: '9100',
    });
    expect(config).toEqual({
      port: 0,
      host: '0.0.0.0',
      dataDir: '/tmp/entitle',
      publicUrl: 'https://shop.example.com',
      demo: true,
      storeName: 'Corner Pharmacy',
      storeCurrency: 'GBP',
      logLevel: 'debug',
      smtpUrl: 'smtps://shop:secret@mail.example.com:465',
      mailFrom: 'Corner Pharmacy <till@pharmacy.example>',
      provisionalClaimDays: 14,
      printerPorts: [9100],
    });
  });

  it('reads where limits count, and leaves the default to the engine', () => {
    expect(loadConfig({}).limitStore).toBeUndefined();
    expect(loadConfig({ RATE_LIMIT_STORE: 'memory' }).limitStore).toBe('memory');
    expect(loadConfig({ RATE_LIMIT_STORE: 'database' }).limitStore).toBe('database');
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'redis' })).toThrow(
      /RATE_LIMIT_STORE="redis" is not valid\. Use RATE_LIMIT_STORE=database when several/,
    );
  });

  it('reads the per-address limits of the portal and of enrolment, per minute', () => {
    expect(loadConfig({}).rateLimits).toBeUndefined();
    expect(loadConfig({ PORTAL_RATE_LIMIT: '60000' }).rateLimits).toEqual({ portal: 60_000 });
    expect(loadConfig({ PORTAL_RATE_LIMIT: '100', ENROL_RATE_LIMIT: '200' }).rateLimits).toEqual({
      portal: 100,
      enrol: 200,
    });
    for (const name of ['PORTAL_RATE_LIMIT', 'ENROL_RATE_LIMIT'] as const) {
      for (const value of ['0', '-1', '1.5', 'lots', '', '1000001']) {
        expect(() => loadConfig({ [name]: value }), `${name}=${value}`).toThrow(
          new RegExp(`${name}=".*" is not valid\\. Use a whole number of requests per minute`),
        );
      }
    }
  });

  it('accepts smtp:// and smtps:// URLs and a bare sender address', () => {
    expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' }).smtpUrl).toBe('smtp://127.0.0.1:2525');
    expect(loadConfig({ MAIL_FROM: 'no-reply@shop.example' }).mailFrom).toBe(
      'no-reply@shop.example',
    );
  });

  it('refuses an SMTP_URL that is not an smtp:// or smtps:// URL, and never prints its password', () => {
    expect(() => loadConfig({ SMTP_URL: 'mail.example.com' })).toThrow(
      /SMTP_URL="mail.example.com" is not valid\. Use smtp:\/\/host:port or smtps:\/\//,
    );
    expect(() => loadConfig({ SMTP_URL: 'https://mail.example.com' })).toThrow(/SMTP_URL=/);
    expect(() => loadConfig({ SMTP_URL: 'smtp://' })).toThrow(/SMTP_URL=/);
    let message = '';
    try {
      loadConfig({ SMTP_URL: 'smtpx://shop:hunter2@mail.example.com' });
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toContain('SMTP_URL="smtpx://shop:***@mail.example.com" is not valid.');
    expect(message).not.toContain('hunter2');
  });

  it('refuses a MAIL_FROM that holds no address', () => {
    expect(() => loadConfig({ MAIL_FROM: 'Entitle' })).toThrow(
      /MAIL_FROM="Entitle" is not valid\. Use an address/,
    );
    expect(() => loadConfig({ MAIL_FROM: 'A <b@c> <d@e>' })).toThrow(/MAIL_FROM=/);
  });
});
