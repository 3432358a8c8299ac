import { z } from 'zod';
import { TerminalPrefix } from '../code/entitlement-code.ts';
import { CurrencyCode } from '../money.ts';
import { DocumentId, Timestamp } from './common.ts';

/**
 * The wire protocol between a terminal and the sync server is versioned data. Bump
 * PROTOCOL_VERSION (and add a line to the changelog) whenever a shared schema that crosses the
 * wire changes; protocol-version.test.ts fails until you do.
 */
export const PROTOCOL_VERSION = 5;
export const PROTOCOL_CHANGELOG: Record<number, string> = {
  1: 'Enrolment, pull/push/stream for products, sales and entitlement status.',
  2: 'Products carry their template; a sale line may be a gift; voids are pushed to /voids/push.',
  3: 'Products carry barcode and tax class; sales carry discounts, tax, card payments and cash rounding; refunds are pushed to /refunds/push.',
  4: 'Staff and store settings are pulled; sales, voids and refunds name their staff member and approving manager; audit events (with shift and drawer events) are pushed to /audit/push; terminals report their unsynced count in the entitle-pending header.',
  5: 'Pulled pages of products and statuses say how many documents follow them (remaining), so a new till shows its first sync’s progress. Added, not required: v4 tills ignore it, and a v5 till shows a count without a total against a v4 server.',
};
/**
 * Terminals older than this are answered 426 Upgrade Required (v5 only added a field to pulled
 * pages, so v4 tills still sync). v3 terminals record no staff
 * member on their sales and keep no audit chain, so they must update too (v4 builds migrate
 * their sales with `staffId: null`, which the dashboard shows as "before staff sign-in"). v2 terminals cannot price tax or
 * discounts and their sales lack the v3 totals, so they must update before they sync (their
 * unsynced sales are migrated by the new build's local schema migration, not lost).
 */
export const MIN_SUPPORTED_PROTOCOL_VERSION = 4;
export const PROTOCOL_HEADER = 'entitle-protocol';
/**
 * How many documents the terminal still has to push, sent with every sync request (v4), so the
 * dashboard can show a till's backlog: the server cannot count what has not reached it.
 */
export const PENDING_HEADER = 'entitle-pending';
/**
 * The database's generation, on every API response: a random number the server's `restore`
 * command renews. A terminal that sees it change pushes everything it holds again (the server may
 * have lost sales it had confirmed) and pulls from the start. A header, not part of any schema.
 */
export const GENERATION_HEADER = 'entitle-generation';

export const API_PREFIX = '/api/v1';

/** Every 4xx/5xx body: a machine-readable code and a sentence a person can act on. */
export const ApiError = z.object({ error: z.string(), message: z.string() });
export type ApiError = z.infer<typeof ApiError>;

export const PairingCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(
    /^[0-9A-Z]{4}-?[0-9A-Z]{4}$/,
    'A pairing code is eight letters and digits, like ABCD-1234.',
  );

export const EnrolRequest = z.strictObject({
  pairingCode: PairingCode,
  terminalName: z.string().trim().min(1).max(60),
});
export type EnrolRequest = z.infer<typeof EnrolRequest>;

/** What a terminal keeps after enrolment: who it is, how to prove it, and how to sign codes. */
export const TerminalCredentials = z.strictObject({
  serverUrl: z.url(),
  storeId: DocumentId,
  storeName: z.string().min(1).max(120),
  currency: CurrencyCode,
  terminalId: DocumentId,
  terminalName: z.string().min(1).max(60),
  terminalPrefix: TerminalPrefix,
  token: z.string().min(32).max(200),
  /** The per-terminal HMAC key for entitlement codes, base64url. */
  codeKey: z.string().min(43).max(200),
  /** Where customers redeem: the base of the URL in each code's QR (`<redeemBaseUrl>/<code>`). */
  redeemBaseUrl: z.url(),
  enrolledAt: Timestamp,
});
export type TerminalCredentials = z.infer<typeof TerminalCredentials>;

export const EnrolResponse = TerminalCredentials.omit({ serverUrl: true });
export type EnrolResponse = z.infer<typeof EnrolResponse>;

/** The server-assigned sequence number of the last change a pull returned. */
export const Checkpoint = z.strictObject({ seq: z.number().int().min(0) });
export type Checkpoint = z.infer<typeof Checkpoint>;

/**
 * The most documents a pull page may hold (the `limit` a terminal asks for). Larger pages cost a
 * new terminal fewer requests and IndexedDB transactions: 500 took about 20 % longer for a first
 * sync of 70,000 documents. Servers before this accepted at most 500 (see pull-loop.ts).
 */
export const PULL_BATCH_LIMIT = 2000;
export const PUSH_BATCH_LIMIT = 100;

export const PullQuery = z.object({
  seq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(PULL_BATCH_LIMIT).default(100),
});

export type PullResponse<T> = {
  documents: (T & { _deleted: boolean })[];
  checkpoint: Checkpoint;
  /**
   * v5: how many documents of the collection come after this page (products and statuses), so a
   * till can show a first sync's progress. Absent from older servers and from other collections.
   */
  remaining?: number;
};

/** RxDB's push rows, with the document left unparsed so one bad sale cannot sink its batch. */
export const PushRequest = z.strictObject({
  rows: z
    .array(
      z.strictObject({
        newDocumentState: z.unknown(),
        assumedMasterState: z.unknown().nullable().optional(),
      }),
    )
    .min(1)
    .max(PUSH_BATCH_LIMIT),
});

export const PushRejection = z.strictObject({ id: z.string(), reason: z.string() });
export type PushRejection = z.infer<typeof PushRejection>;

/**
 * Sales are immutable, so the server never answers with RxDB conflicts to merge: a document it
 * refuses comes back in `rejected` with the reason, and the terminal keeps it and shows it.
 */
export const PushResponse = z.strictObject({
  accepted: z.array(z.string()),
  rejected: z.array(PushRejection),
});
export type PushResponse = z.infer<typeof PushResponse>;

export const SyncedCollection = z.enum(['products', 'entitlements', 'staff', 'settings']);
export type SyncedCollection = z.infer<typeof SyncedCollection>;

/** Server-sent event data on the live stream: which pulled collections have news. */
export const StreamChange = z.strictObject({ collections: z.array(SyncedCollection) });
export type StreamChange = z.infer<typeof StreamChange>;

export const HealthResponse = z.object({
  status: z.literal('ok'),
  version: z.string(),
  protocolVersion: z.number(),
  demo: z.boolean(),
  time: Timestamp,
});
export type HealthResponse = z.infer<typeof HealthResponse>;
