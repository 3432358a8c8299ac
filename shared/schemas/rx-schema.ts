import { z } from 'zod';

/** The parts of an RxDB JSON schema this project uses; typed here so shared/ needs no rxdb import. */
export type RxJsonSchemaLike = {
  version: number;
  primaryKey: string;
  type: 'object';
  properties: Record<string, unknown>;
  required: string[];
  indexes?: string[][];
  additionalProperties?: boolean;
};

type ObjectSchema = z.ZodObject | z.ZodPipe<z.ZodObject>;

/**
 * Derives the RxDB schema from the zod schema, so a document's shape is written once
 * (STYLE.md 3). RxDB wants a maxLength on the primary key and on indexed strings, and numeric
 * bounds on indexed numbers; those come from the zod checks or the caller's `bounds`.
 */
export function toRxJsonSchema(
  schema: ObjectSchema,
  options: {
    version: number;
    primaryKey: string;
    indexes?: string[][];
    bounds?: Record<
      string,
      { maxLength?: number; minimum?: number; maximum?: number; multipleOf?: number }
    >;
  },
): RxJsonSchemaLike {
  const json = z.toJSONSchema(schema, {
    target: 'draft-07',
    unrepresentable: 'any',
    io: 'output',
  }) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  const properties: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(json.properties ?? {})) {
    properties[name] = { ...(withoutDefaults(property) as object), ...options.bounds?.[name] };
  }
  return {
    version: options.version,
    primaryKey: options.primaryKey,
    type: 'object',
    properties,
    required: json.required ?? [],
    ...(options.indexes ? { indexes: options.indexes } : {}),
  };
}

/**
 * RxDB refuses `default` below the top level (SC7). Documents reach RxDB already parsed by zod,
 * which applied the defaults, so dropping the keyword loses nothing.
 */
function withoutDefaults(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDefaults);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'default')
      .map(([key, inner]) => [key, withoutDefaults(inner)]),
  );
}
