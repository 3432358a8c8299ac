import type { CallbackResponse, OnBeforeRequestListenerDetails } from 'electron';
import type { TerminalCredentials } from '../shared/schemas/protocol.ts';
import type { CredentialsStore } from './credentials-store.ts';
import type { Logger } from './logger.ts';
import { httpOrigin, isStripeTerminalUrl, isTrustedAppUrl } from './security.ts';

/**
 * Which servers the POS page may reach, decided in the main process because the answer changes
 * at run time: a new terminal learns its server only when the cashier types it on the
 * enrolment screen, and a CSP header cannot follow that without a reload. So the CSP's
 * connect-src is broad (any http(s)), and this is the lock:
 *
 * - the app's own files (app://pos), data: and blob: are always allowed;
 * - Stripe Terminal (https to *.stripe.com and the local reader domain) is always allowed: card
 *   payments need it, and it is no place the POS could leak a sale to;
 * - not enrolled: any http(s) origin, so the cashier can reach the address they type;
 * - enrolled: only the enrolled server's origin, plus ENTITLE_SERVER_URL's origin if set;
 * - file:, ws:, ftp:, javascript: and every other scheme: never.
 */
export type NetworkPolicy = {
  allows(url: string): boolean;
  /** The terminal was enrolled with (or its saved credentials name) this server. */
  enrolled(serverUrl: string): void;
  /** The terminal's credentials were removed: back to "not enrolled". */
  cleared(): void;
};

export type NetworkPolicyInitial = {
  /** The saved credentials' serverUrl, or null when the terminal is not enrolled. */
  readonly enrolledServerUrl: string | null;
  /** ENTITLE_SERVER_URL, if the shell was started with one. */
  readonly configuredServerUrl: string | null;
};

export function createNetworkPolicy(initial: NetworkPolicyInitial): NetworkPolicy {
  const configured = httpOrigin(initial.configuredServerUrl);
  // null: not enrolled. An enrolment whose serverUrl is not http(s) allows no server at all
  // (never "not enrolled", which would open the lock).
  let allowedOrigins: ReadonlySet<string> | null = null;

  const enrolled = (serverUrl: string): void => {
    const origins = [httpOrigin(serverUrl), configured].filter((origin) => origin !== null);
    allowedOrigins = new Set(origins);
  };
  if (initial.enrolledServerUrl !== null) enrolled(initial.enrolledServerUrl);

  return {
    allows(url) {
      if (isTrustedAppUrl(url) || isStripeTerminalUrl(url)) return true;
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return false;
      }
      if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return true;
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
      return allowedOrigins === null || allowedOrigins.has(parsed.origin);
    },
    enrolled,
    cleared() {
      allowedOrigins = null;
    },
  };
}

/**
 * What a refused request is logged as: its origin (or just its scheme), never the full URL,
 * whose path or query may carry a token.
 */
export function describeRequestOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return httpOrigin(url) ?? parsed.protocol;
  } catch {
    return 'an unparsable URL';
  }
}

/** The part of Electron's session.webRequest this uses. */
export interface WebRequestLike {
  onBeforeRequest(
    listener: (
      details: Pick<OnBeforeRequestListenerDetails, 'url'>,
      callback: (response: CallbackResponse) => void,
    ) => void,
  ): void;
}

/**
 * Enforces the policy on every request of a session. A session has one onBeforeRequest
 * listener, so installing again (a reopened window) replaces it rather than stacking.
 */
export function installNetworkPolicy(
  webRequest: WebRequestLike,
  policy: NetworkPolicy,
  logger: Logger,
): void {
  webRequest.onBeforeRequest((details, callback) => {
    if (policy.allows(details.url)) {
      callback({});
      return;
    }
    logger.warn('Blocked a request to a server the terminal is not enrolled with', {
      origin: describeRequestOrigin(details.url),
    });
    callback({ cancel: true });
  });
}

/**
 * The credentials store as the bridge should see it: a successful save or clear moves the
 * network lock with it, and a load that finds credentials locks to their server (a keychain
 * that was locked at start-up and is readable now must not leave the lock open).
 */
export function credentialsFollowedByPolicy(
  store: CredentialsStore,
  policy: NetworkPolicy,
): CredentialsStore {
  return {
    async load() {
      const credentials = await store.load();
      if (credentials !== null) policy.enrolled(credentials.serverUrl);
      return credentials;
    },
    async save(credentials: TerminalCredentials) {
      await store.save(credentials);
      policy.enrolled(credentials.serverUrl);
    },
    async clear() {
      await store.clear();
      policy.cleared();
    },
  };
}
