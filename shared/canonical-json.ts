/**
 * JSON with object keys sorted at every level and no whitespace, so two copies of the same
 * document compare equal as text whatever order its keys were built in: the server compares
 * pushed facts with it, signs licence files over it (verified offline by the same function), and
 * audit events are hashed over it on the counter and checked on the server. Arrays keep their
 * order: it means something.
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
