import { describe } from 'vitest';
import { apiTargets } from './api-targets.ts';
import { fuzzTargets } from './run-targets.ts';

describe('fuzzing the api routes', () => {
  fuzzTargets(apiTargets());
});
