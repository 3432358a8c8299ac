import { describe } from 'vitest';
import { dashboardPeopleTargets } from './dashboard-targets.ts';
import { fuzzTargets } from './run-targets.ts';

describe('fuzzing the dashboard routes (people)', () => {
  fuzzTargets(dashboardPeopleTargets());
});
