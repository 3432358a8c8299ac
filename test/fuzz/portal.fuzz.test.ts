import { describe } from 'vitest';
import { portalTargets } from './portal-targets.ts';
import { fuzzTargets } from './run-targets.ts';

describe('fuzzing the portal routes', () => {
  fuzzTargets(portalTargets());
});
