/**
 * JSON with object keys sorted at every level and no whitespace, so the same event hashes the
 * same on the counter and on the server whatever order its keys were built in. Arrays keep their
 * order. A copy of sync-server's: shared/ may not import the server.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) {
      sorted[key] = (inner as Record<string, unknown>)[key];
    }
    return sorted;
  });
}
