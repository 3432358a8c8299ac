import type { Scenario } from '../kit/types.ts';
import { loadScenarios } from './load.ts';
import { newTerminalScenarios } from './new-terminal.ts';
import { syncPushScenarios } from './sync-push.ts';
import { tillScenarios } from './till.ts';

/**
 * Every benchmark of `npm run bench` (issue #7's numbering decides the order in the table, not
 * this list).
 */
export const SCENARIOS: readonly Scenario[] = [
  ...tillScenarios,
  ...syncPushScenarios,
  ...newTerminalScenarios,
  ...loadScenarios,
];
