import type { z } from 'zod';

/** Zod issues as one line a developer can act on: "fileName: Invalid input; mode: …". */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.map((key) => String(key)).join('.');
      return where === '' ? issue.message : `${where}: ${issue.message}`;
    })
    .join('; ');
}
