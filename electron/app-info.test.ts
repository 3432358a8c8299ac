import { describe, expect, it } from 'vitest';
import { createAppInfo, serverUrlFrom } from './app-info.ts';

describe('serverUrlFrom', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['   ', null],
    ['http://localhost:8787', 'http://localhost:8787'],
    [' https://sync.example.test/base ', 'https://sync.example.test/base'],
    ['localhost:8787', null],
    ['ftp://sync.example.test', null],
    ['javascript:alert(1)', null],
    ['file:///etc/passwd', null],
    ['not a url', null],
  ])('%j → %j', (value, expected) => {
    expect(serverUrlFrom(value)).toBe(expected);
  });
});

describe('createAppInfo', () => {
  it('describes the Electron shell from its version and environment', () => {
    expect(
      createAppInfo('1.2.3', { ENTITLE_SERVER_URL: 'http://127.0.0.1:8787', ENTITLE_DEMO: '1' }),
    ).toEqual({
      shell: 'electron',
      version: '1.2.3',
      serverUrl: 'http://127.0.0.1:8787',
      demo: true,
    });
  });

  it.each([undefined, '0', 'true', 'yes', ''])('is not a demo when ENTITLE_DEMO is %j', (demo) => {
    expect(createAppInfo('1.2.3', { ENTITLE_DEMO: demo }).demo).toBe(false);
  });

  it('knows no server when none was given', () => {
    expect(createAppInfo('1.2.3', {}).serverUrl).toBeNull();
  });
});
