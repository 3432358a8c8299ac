import { describe } from 'vitest';
import { dashboardTargets } from './dashboard-targets.ts';
import { fuzzTargets } from './run-targets.ts';

describe('fuzzing the dashboard routes', () => {
  fuzzTargets(dashboardTargets());
});
