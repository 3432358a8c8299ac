/**
 * The little of PouchDB the baseline uses. DefinitelyTyped's @types/pouchdb-core declares a
 * global `interface Buffer extends Uint8Array`, which merges with Node's Buffer and breaks the
 * type check of the whole project, so these few declarations stand in for it.
 */

declare module 'pouchdb-core' {
  type Plugin = { readonly __pouchPlugin?: never };

  type DatabaseInfo = { readonly doc_count: number; readonly update_seq: number | string };
  type BulkResult = { readonly ok?: boolean; readonly id?: string; readonly error?: string };
  type ReplicationResult = { readonly ok: boolean; readonly docs_written: number };

  class PouchDB {
    constructor(name: string, options?: { readonly adapter?: string });
    static plugin(plugin: Plugin): typeof PouchDB;
    static replicate(source: PouchDB, target: PouchDB): Promise<ReplicationResult>;
    info(): Promise<DatabaseInfo>;
    bulkDocs(docs: readonly object[]): Promise<BulkResult[]>;
    destroy(): Promise<void>;
  }

  export default PouchDB;
}

declare module 'pouchdb-adapter-http' {
  const plugin: { readonly __pouchPlugin?: never };
  export default plugin;
}

declare module 'pouchdb-adapter-memory' {
  const plugin: { readonly __pouchPlugin?: never };
  export default plugin;
}

declare module 'pouchdb-replication' {
  const plugin: { readonly __pouchPlugin?: never };
  export default plugin;
}
