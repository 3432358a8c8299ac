import { TerminalCredentials } from '../shared/schemas/protocol.ts';
import { describeError, type Logger } from './logger.ts';
import { describeIssues } from './validation.ts';

/** The parts of Electron's safeStorage used here (the async API; the sync one is deprecated). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  /** Linux only: which secret store backs the key. */
  getSelectedStorageBackend(): string;
}

/** The parts of node:fs/promises used here. */
export interface CredentialsFs {
  readFile(path: string): Promise<Buffer>;
  writeFile(path: string, data: Uint8Array, options: { mode: number }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: true }): Promise<void>;
}

export type CredentialsStoreDeps = {
  /** For example <userData>/terminal-credentials.bin. */
  readonly filePath: string;
  readonly safeStorage: SafeStorageLike;
  readonly fs: CredentialsFs;
  readonly logger: Logger;
  readonly platform: NodeJS.Platform;
};

export type CredentialsStore = {
  load(): Promise<TerminalCredentials | null>;
  save(credentials: TerminalCredentials): Promise<void>;
  clear(): Promise<void>;
};

export const ENCRYPTION_UNAVAILABLE_MESSAGE =
  'The terminal was not saved: this computer has no system keychain Entitle can use to ' +
  'encrypt its credentials, and Entitle never stores them in plain text. On Linux, install ' +
  'and unlock GNOME Keyring or KWallet, then enrol the terminal again.';

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/**
 * The terminal's token and code-signing key, encrypted with the OS keychain's key (safeStorage).
 * Loading never throws: a file that cannot be read back is reported and treated as "not
 * enrolled". It is deliberately left in place, because a keychain that is merely locked today
 * would otherwise cost the terminal its enrolment; the next save replaces it.
 */
export function createCredentialsStore(deps: CredentialsStoreDeps): CredentialsStore {
  const { filePath, safeStorage, fs, logger } = deps;

  // On Linux without a keyring Electron falls back to 'basic_text': a key hard-coded in
  // Chromium, which is plain text with extra steps. Treat it as no encryption at all.
  const canEncrypt = async (): Promise<boolean> =>
    (await safeStorage.isAsyncEncryptionAvailable()) &&
    (deps.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text');

  const write = async (credentials: TerminalCredentials): Promise<void> => {
    const encrypted = await safeStorage.encryptStringAsync(JSON.stringify(credentials));
    // Write then rename, so a crash mid-write never leaves a half file where the old one was.
    const temporary = `${filePath}.tmp`;
    await fs.writeFile(temporary, encrypted, { mode: 0o600 });
    await fs.rename(temporary, filePath);
  };

  const unreadable = (reason: string, error?: unknown): null => {
    logger.error('The saved terminal credentials could not be read; treating as not enrolled', {
      filePath,
      reason,
      ...(error === undefined ? {} : { error: describeError(error) }),
    });
    return null;
  };

  return {
    async load() {
      let encrypted: Buffer;
      try {
        encrypted = await fs.readFile(filePath);
      } catch (error) {
        return isNotFound(error) ? null : unreadable('the file could not be read', error);
      }
      if (!(await safeStorage.isAsyncEncryptionAvailable())) {
        return unreadable('the system keychain is not available');
      }
      let decrypted: { result: string; shouldReEncrypt: boolean };
      try {
        decrypted = await safeStorage.decryptStringAsync(encrypted);
      } catch (error) {
        return unreadable('the file could not be decrypted', error);
      }
      let json: unknown;
      try {
        json = JSON.parse(decrypted.result);
      } catch (error) {
        return unreadable('the decrypted file is not JSON', error);
      }
      const parsed = TerminalCredentials.safeParse(json);
      if (!parsed.success) return unreadable(describeIssues(parsed.error.issues));
      if (decrypted.shouldReEncrypt) {
        // The keychain rotated its key; keep working with what we read if re-saving fails.
        await write(parsed.data).catch((error: unknown) => {
          logger.warn('Could not re-encrypt the terminal credentials', {
            error: describeError(error),
          });
        });
      }
      return parsed.data;
    },

    async save(credentials) {
      const parsed = TerminalCredentials.safeParse(credentials);
      if (!parsed.success) {
        throw new Error(
          `The terminal credentials are not valid: ${describeIssues(parsed.error.issues)}`,
        );
      }
      if (!(await canEncrypt())) throw new Error(ENCRYPTION_UNAVAILABLE_MESSAGE);
      await write(parsed.data);
    },

    async clear() {
      await fs.rm(filePath, { force: true });
    },
  };
}
