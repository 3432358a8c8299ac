import { describe } from 'vitest';
import { dashboardDataTargets } from './dashboard-targets.ts';
import { fuzzTargets } from './run-targets.ts';

describe('fuzzing the dashboard routes (data)', () => {
  fuzzTargets(dashboardDataTargets());
});
