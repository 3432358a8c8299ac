import { describe, expect, it } from 'vitest';
import {
  createCredentialsStore,
  ENCRYPTION_UNAVAILABLE_MESSAGE,
  type CredentialsFs,
  type SafeStorageLike,
} from './credentials-store.ts';
import { recordingLogger, validCredentials } from './test-support/fakes.ts';

const FILE = '/user-data/terminal-credentials.bin';
const MAGIC = Buffer.from('ENC1');

/** A stand-in keychain: reversible, but the stored bytes never contain the plain text. */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}) {
  const state = { available: options.available ?? true, shouldReEncrypt: false, encryptions: 0 };
  const safeStorage: SafeStorageLike = {
    isAsyncEncryptionAvailable: () => Promise.resolve(state.available),
    encryptStringAsync: (plainText) => {
      state.encryptions += 1;
      const bytes = Buffer.from(plainText, 'utf8').map((byte) => byte ^ 0x5a);
      return Promise.resolve(Buffer.concat([MAGIC, bytes]));
    },
    decryptStringAsync: (encrypted) => {
      if (!encrypted.subarray(0, MAGIC.length).equals(MAGIC)) {
        return Promise.reject(new Error('Error while decrypting the ciphertext provided'));
      }
      const bytes = encrypted.subarray(MAGIC.length).map((byte) => byte ^ 0x5a);
      return Promise.resolve({
        result: Buffer.from(bytes).toString('utf8'),
        shouldReEncrypt: state.shouldReEncrypt,
      });
    },
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
  };
  return { safeStorage, state };
}

function memoryFs() {
  const files = new Map<string, Buffer>();
  const fs: CredentialsFs = {
    readFile: (path) => {
      const data = files.get(path);
      return data === undefined
        ? Promise.reject(Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' }))
        : Promise.resolve(data);
    },
    writeFile: (path, data) => {
      files.set(path, Buffer.from(data));
      return Promise.resolve();
    },
    rename: (from, to) => {
      const data = files.get(from);
      if (data === undefined) return Promise.reject(new Error(`ENOENT: ${from}`));
      files.delete(from);
      files.set(to, data);
      return Promise.resolve();
    },
    rm: (path) => {
      files.delete(path);
      return Promise.resolve();
    },
  };
  return { fs, files };
}

function setup(
  options: { available?: boolean; backend?: string; platform?: NodeJS.Platform } = {},
) {
  const keychain = fakeSafeStorage(options);
  const disk = memoryFs();
  const logger = recordingLogger();
  const store = createCredentialsStore({
    filePath: FILE,
    safeStorage: keychain.safeStorage,
    fs: disk.fs,
    logger,
    platform: options.platform ?? 'linux',
  });
  return { store, keychain, disk, logger };
}

describe('credentials store', () => {
  it('loads null, quietly, before the terminal is enrolled', async () => {
    const { store, logger } = setup();
    expect(await store.load()).toBeNull();
    expect(logger.entries).toEqual([]);
  });

  it('round-trips credentials, and what is on disk is not plain text', async () => {
    const { store, disk } = setup();
    const credentials = validCredentials();
    await store.save(credentials);
    expect(await store.load()).toEqual(credentials);
    const onDisk = disk.files.get(FILE);
    expect(onDisk).toBeDefined();
    expect(onDisk?.toString('utf8')).not.toContain(credentials.token);
    expect(onDisk?.toString('utf8')).not.toContain(credentials.codeKey);
    expect([...disk.files.keys()]).toEqual([FILE]);
  });

  it('clears what it saved', async () => {
    const { store, disk } = setup();
    await store.save(validCredentials());
    await store.clear();
    expect(disk.files.size).toBe(0);
    expect(await store.load()).toBeNull();
    await expect(store.clear()).resolves.toBeUndefined();
  });

  it('refuses to save when there is no keychain, and writes nothing', async () => {
    const { store, disk } = setup({ available: false });
    await expect(store.save(validCredentials())).rejects.toThrow(ENCRYPTION_UNAVAILABLE_MESSAGE);
    expect(disk.files.size).toBe(0);
  });

  it("treats Linux's basic_text fallback (a hard-coded key) as no keychain", async () => {
    const { store, disk } = setup({ backend: 'basic_text', platform: 'linux' });
    await expect(store.save(validCredentials())).rejects.toThrow(/never stores them in plain/);
    expect(disk.files.size).toBe(0);
  });

  it('asks for the Linux backend only on Linux', async () => {
    const { store } = setup({ backend: 'basic_text', platform: 'darwin' });
    await expect(store.save(validCredentials())).resolves.toBeUndefined();
  });

  it('refuses to save invalid credentials and says which field is wrong', async () => {
    const { store, disk } = setup();
    const bad = { ...validCredentials(), token: 'short' };
    await expect(store.save(bad)).rejects.toThrow(/not valid: token:/);
    expect(disk.files.size).toBe(0);
  });

  it.each([
    ['bytes the keychain cannot decrypt', Buffer.from('garbage')],
    ['an empty file', Buffer.alloc(0)],
    ['a decrypted file that is not JSON', Buffer.concat([MAGIC, Buffer.from('{', 'utf8')])],
  ])('loads null and reports it for %s', async (_name, bytes) => {
    const { store, disk, logger } = setup();
    disk.files.set(FILE, bytes);
    expect(await store.load()).toBeNull();
    expect(logger.entries).toHaveLength(1);
    expect(logger.entries[0]?.level).toBe('error');
    // Left in place: a locked keychain must not cost the terminal its enrolment.
    expect(disk.files.get(FILE)).toEqual(bytes);
  });

  it('loads null and reports it when the decrypted JSON fails the schema', async () => {
    const { store, keychain, disk, logger } = setup();
    const tampered = { ...validCredentials(), terminalPrefix: 'lower' };
    disk.files.set(FILE, await keychain.safeStorage.encryptStringAsync(JSON.stringify(tampered)));
    expect(await store.load()).toBeNull();
    expect(logger.entries[0]?.details?.reason).toMatch(/terminalPrefix/);
  });

  it('loads null and reports it when the keychain is unavailable at start', async () => {
    const { store, keychain, logger } = setup();
    await store.save(validCredentials());
    keychain.state.available = false;
    expect(await store.load()).toBeNull();
    expect(logger.entries[0]?.details?.reason).toMatch(/keychain/);
  });

  it('re-encrypts when the keychain asks for it, and still returns the credentials', async () => {
    const { store, keychain } = setup();
    await store.save(validCredentials());
    keychain.state.shouldReEncrypt = true;
    const before = keychain.state.encryptions;
    expect(await store.load()).toEqual(validCredentials());
    expect(keychain.state.encryptions).toBe(before + 1);
  });
});
