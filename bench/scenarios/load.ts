import { manyTerminalsScenario, serverMemoryScenario } from '../load/many-terminals.ts';
import { redeemLoadScenario } from '../load/redeem-load.ts';
import type { Scenario } from '../kit/types.ts';

/** Issue #7 items 5 redemption under load, 6 many terminals, 8 server memory. */
export const loadScenarios: readonly Scenario[] = [
  redeemLoadScenario,
  manyTerminalsScenario,
  serverMemoryScenario,
];
