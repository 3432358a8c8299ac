import type { Scenario } from '../kit/types.ts';

/** Issue #7 items 3 first sync, 4 live propagation, 7 catalogue search (Chromium). */
export const newTerminalScenarios: readonly Scenario[] = [];
