import type { Scenario } from '../kit/types.ts';

/** Issue #7 items 2 sync push against PouchDB and pouchdb-server. */
export const syncPushScenarios: readonly Scenario[] = [];
