import type { AppInfo, EntitleBridge } from '../../electron/bridge-contract.ts';
import { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import { relayEscPos } from '../receipt/print-relay.ts';

/** Where the web POS keeps its enrolment (the bench hands a till one made beforehand). */
export const CREDENTIALS_KEY = 'entitle.terminal-credentials';
const CONFIG_KEY = 'entitle.web-pos-config';

type WebPosConfig = { serverUrl: string | null; demo: boolean };

/**
 * Where the web POS learns its sync server: `config.json` beside the page (written by whoever
 * serves it, e.g. `npm start`), remembered for offline reloads, else Vite's dev default.
 */
async function loadConfig(): Promise<WebPosConfig> {
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    if (response.ok) {
      const config = (await response.json()) as Partial<WebPosConfig>;
      const parsed = { serverUrl: config.serverUrl ?? null, demo: config.demo === true };
      localStorage.setItem(CONFIG_KEY, JSON.stringify(parsed));
      return parsed;
    }
  } catch {
    // Offline reload: fall back to what we saw last time.
  }
  const remembered = localStorage.getItem(CONFIG_KEY);
  if (remembered) return JSON.parse(remembered) as WebPosConfig;
  return {
    serverUrl: import.meta.env.VITE_SERVER_URL ?? null,
    demo: import.meta.env.VITE_DEMO === '1',
  };
}

/**
 * The bridge for the web POS in a plain browser. Credentials sit in localStorage, which is no
 * safer than the IndexedDB holding the sales; the desktop app keeps them in the OS keychain.
 */
export function createBrowserBridge(): EntitleBridge {
  return {
    async appInfo(): Promise<AppInfo> {
      const config = await loadConfig();
      return { shell: 'browser', version: import.meta.env.VITE_APP_VERSION ?? 'dev', ...config };
    },
    listPrinters: () => Promise.resolve([]),
    printReceipt(request) {
      if (request.mode !== 'dialog') {
        return Promise.resolve({
          ok: false,
          message: 'The browser can only print through its print dialog.',
        });
      }
      window.print();
      return Promise.resolve({ ok: true });
    },
    // A browser cannot open a TCP socket: the sync server relays the bytes to the printer.
    async printEscPos(request) {
      return relayEscPos(request, await this.loadCredentials());
    },
    loadCredentials() {
      const stored = localStorage.getItem(CREDENTIALS_KEY);
      if (!stored) return Promise.resolve(null);
      const parsed = TerminalCredentials.safeParse(JSON.parse(stored));
      return Promise.resolve(parsed.success ? parsed.data : null);
    },
    saveCredentials(credentials) {
      localStorage.setItem(CREDENTIALS_KEY, JSON.stringify(TerminalCredentials.parse(credentials)));
      return Promise.resolve();
    },
    clearCredentials() {
      localStorage.removeItem(CREDENTIALS_KEY);
      return Promise.resolve();
    },
    // A named tab: opening it again brings the same one forward. The display needs nothing
    // from this page but the display channel, so it gets no handle back to it.
    openCustomerDisplay() {
      const display = window.open('#/customer-display', 'entitle-customer-display');
      if (display === null) {
        return Promise.resolve({
          ok: false,
          message:
            'The browser blocked the customer display. Allow pop-ups for this page, or open #/customer-display in a tab on the second screen.',
        });
      }
      display.opener = null;
      return Promise.resolve({ ok: true });
    },
  };
}
