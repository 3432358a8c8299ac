/**
 * The one contract between the desktop shell and the POS (STYLE.md 4). The preload exposes an
 * object of this type as `window.entitle`; the web POS has a browser implementation of the same
 * type. The renderer imports this file with `import type` only.
 */
import type { TerminalCredentials } from '../shared/schemas/protocol.ts';

export type AppInfo = {
  readonly shell: 'electron' | 'browser';
  readonly version: string;
  /** The sync server this POS was started with, if the shell knows one. */
  readonly serverUrl: string | null;
  /** A demo server enrols terminals without a pairing code. */
  readonly demo: boolean;
};

export type PrinterInfo = { readonly name: string; readonly isDefault: boolean };

export type PrintRequest =
  /** Print the current receipt view: silently to a named (or the default) printer. */
  | { readonly mode: 'silent'; readonly printerName?: string }
  /** Save the current receipt view as a PDF file; the result carries its path. */
  | { readonly mode: 'pdf'; readonly fileName: string }
  /** Show the system print dialog. */
  | { readonly mode: 'dialog' };

/** Raw ESC/POS bytes for a network thermal printer (shared/receipt/escpos.ts makes them). */
export type EscPosPrintRequest = {
  /** An IP address or host name on the shop's network. */
  readonly host: string;
  /** 1–65535; thermal printers listen on 9100. */
  readonly port: number;
  /** At most ESC_POS_MAX_BYTES. */
  readonly bytes: Uint8Array;
};

/** A receipt with a dozen QR codes is a few KiB; anything near this is not a receipt. */
export const ESC_POS_MAX_BYTES = 256 * 1024;

export type PrintResult =
  | { readonly ok: true; readonly pdfPath?: string }
  | { readonly ok: false; readonly message: string };

/** Whether a window opened; a browser may block a new tab and says so here. */
export type OpenResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

export type EntitleBridge = {
  appInfo(): Promise<AppInfo>;
  listPrinters(): Promise<PrinterInfo[]>;
  printReceipt(request: PrintRequest): Promise<PrintResult>;
  /** Sends ESC/POS bytes to a network printer: directly (desktop) or through the server (web). */
  printEscPos(request: EscPosPrintRequest): Promise<PrintResult>;
  /** The terminal's enrolment, kept in the OS keychain (Electron safeStorage) or browser storage. */
  loadCredentials(): Promise<TerminalCredentials | null>;
  saveCredentials(credentials: TerminalCredentials): Promise<void>;
  clearCredentials(): Promise<void>;
  /** Opens (or brings forward) the customer-facing display: on the second screen if there is one. */
  openCustomerDisplay(): Promise<OpenResult>;
};

/** IPC channel per bridge method; the only channel names that exist. */
export const BRIDGE_CHANNELS = {
  appInfo: 'entitle:app-info',
  listPrinters: 'entitle:list-printers',
  printReceipt: 'entitle:print-receipt',
  printEscPos: 'entitle:print-escpos',
  loadCredentials: 'entitle:load-credentials',
  saveCredentials: 'entitle:save-credentials',
  clearCredentials: 'entitle:clear-credentials',
  openCustomerDisplay: 'entitle:open-customer-display',
} as const satisfies Record<keyof EntitleBridge, string>;
