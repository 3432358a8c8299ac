import type { z } from 'zod';
import { TerminalCredentials } from '../shared/schemas/protocol.ts';
import {
  BRIDGE_CHANNELS,
  type AppInfo,
  type EscPosPrintRequest,
  type OpenResult,
  type PrinterInfo,
  type PrintRequest,
  type PrintResult,
} from './bridge-contract.ts';
import { EscPosPrintRequestSchema, PrintRequestSchema } from './bridge-schemas.ts';
import { describeIssues } from './validation.ts';

/** What Electron's IpcMainInvokeEvent carries that the bridge uses. */
export type InvokeEvent<Sender> = {
  readonly sender: Sender;
  readonly senderFrame: { readonly url: string } | null;
};

export interface IpcMainLike<Sender> {
  handle(
    channel: string,
    listener: (event: InvokeEvent<Sender>, ...args: unknown[]) => Promise<unknown>,
  ): void;
}

/** The main-process side of EntitleBridge; printing acts on the page that asked. */
export type BridgeHandlers<Sender> = {
  appInfo(): Promise<AppInfo>;
  listPrinters(sender: Sender): Promise<PrinterInfo[]>;
  printReceipt(sender: Sender, request: PrintRequest): Promise<PrintResult>;
  printEscPos(request: EscPosPrintRequest): Promise<PrintResult>;
  loadCredentials(): Promise<TerminalCredentials | null>;
  saveCredentials(credentials: TerminalCredentials): Promise<void>;
  clearCredentials(): Promise<void>;
  openCustomerDisplay(): Promise<OpenResult>;
};

type BridgeChannel = (typeof BRIDGE_CHANNELS)[keyof typeof BRIDGE_CHANNELS];
type Route<Sender> = (event: InvokeEvent<Sender>, args: unknown[]) => Promise<unknown>;

function noArgument(channel: string, args: unknown[]): void {
  if (args.length !== 0) {
    throw new Error(`${channel} takes no argument, but was given ${args.length}.`);
  }
}

function oneArgument<T>(channel: string, args: unknown[], schema: z.ZodType<T>): T {
  if (args.length !== 1) {
    throw new Error(`${channel} takes exactly one argument, but was given ${args.length}.`);
  }
  const parsed = schema.safeParse(args[0]);
  if (!parsed.success) {
    throw new Error(`${channel} was given a bad argument: ${describeIssues(parsed.error.issues)}`);
  }
  return parsed.data;
}

/**
 * Registers one ipcMain.handle per bridge channel, and no other. Every call is refused unless
 * it comes from a frame showing the app (a navigated-away or foreign frame gets nothing), and
 * every argument is parsed before a handler sees it: the renderer is not trusted with types.
 */
export function registerBridgeHandlers<Sender>(
  ipcMain: IpcMainLike<Sender>,
  handlers: BridgeHandlers<Sender>,
  isTrustedSender: (event: InvokeEvent<Sender>) => boolean,
): void {
  const c = BRIDGE_CHANNELS;
  const routes: Record<BridgeChannel, Route<Sender>> = {
    [c.appInfo]: (_event, args) => {
      noArgument(c.appInfo, args);
      return handlers.appInfo();
    },
    [c.listPrinters]: (event, args) => {
      noArgument(c.listPrinters, args);
      return handlers.listPrinters(event.sender);
    },
    [c.printReceipt]: (event, args) =>
      handlers.printReceipt(event.sender, oneArgument(c.printReceipt, args, PrintRequestSchema)),
    [c.printEscPos]: (_event, args) =>
      handlers.printEscPos(oneArgument(c.printEscPos, args, EscPosPrintRequestSchema)),
    [c.loadCredentials]: (_event, args) => {
      noArgument(c.loadCredentials, args);
      return handlers.loadCredentials();
    },
    [c.saveCredentials]: (_event, args) =>
      handlers.saveCredentials(oneArgument(c.saveCredentials, args, TerminalCredentials)),
    [c.clearCredentials]: (_event, args) => {
      noArgument(c.clearCredentials, args);
      return handlers.clearCredentials();
    },
    [c.openCustomerDisplay]: (_event, args) => {
      noArgument(c.openCustomerDisplay, args);
      return handlers.openCustomerDisplay();
    },
  };

  for (const [channel, route] of Object.entries(routes)) {
    ipcMain.handle(channel, async (event, ...args) => {
      if (!isTrustedSender(event)) {
        throw new Error(`${channel} refused: the request did not come from the Entitle app.`);
      }
      return route(event, args);
    });
  }
}
