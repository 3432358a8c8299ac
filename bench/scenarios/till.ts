import type { Scenario } from '../kit/types.ts';

/** Issue #7 items 1 checkout, 8 renderer memory, 9 start-up (Chromium, 100,000 stored sales). */
export const tillScenarios: readonly Scenario[] = [];
