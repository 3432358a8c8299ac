/**
 * The card reader as the counter sees it: find a reader, connect, collect one payment for a
 * PaymentIntent the server created, cancel it, hear when the reader drops. The Stripe Terminal
 * SDK sits behind this (terminal-card-reader.ts); screens and checkout depend only on this type.
 */
export type ReaderInfo = {
  readonly id: string;
  readonly label: string;
  /** A simulated reader charges no real card; the screen says so. */
  readonly simulated: boolean;
};

/** How collecting a card ended; every outcome but `authorised` carries what the cashier does next. */
export type CollectOutcome =
  | { readonly kind: 'authorised'; readonly amountCapturable: number }
  | { readonly kind: 'declined'; readonly declineCode: string; readonly message: string }
  | { readonly kind: 'cancelled'; readonly message: string }
  | { readonly kind: 'timeout'; readonly message: string }
  | { readonly kind: 'disconnected'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

export type CardReader = {
  readonly simulated: boolean;
  discover(): Promise<readonly ReaderInfo[]>;
  connect(reader: ReaderInfo): Promise<void>;
  /** The connected reader, or null. */
  connected(): ReaderInfo | null;
  /** Asks for a card for the intent and processes it; resolves, never rejects. */
  collect(intent: { readonly id: string; readonly clientSecret: string }): Promise<CollectOutcome>;
  /** Stops waiting for a card (the cashier pressed Cancel). */
  cancelCollect(): Promise<void>;
  /** Called when the reader drops on its own; returns the unsubscribe. */
  onDisconnect(listener: () => void): () => void;
  disconnect(): Promise<void>;
};
