/**
 * Bad input generators: totally random values, and "almost valid" ones made by changing one
 * field of a valid body (wrong type, missing, extra, huge, negative money, unicode, NaN-ish
 * strings, another store's ids).
 */
import fc from 'fast-check';

/** Strings that have broken parsers before: number-ish, empty, control and odd unicode, markup. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\n',
  'NaN',
  'Infinity',
  '-Infinity',
  '-1',
  '0',
  '-0',
  '1e999',
  '0x10',
  '1.5',
  '9007199254740993',
  '-2500',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '\u0000',
  '\uD800',
  '\u202E\u0645\u0631\u062D\u0628\u0627',
  'Zoë 😀 𝔘𝔫𝔦',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '../../etc/passwd',
  '%00',
  '%',
  // Code-shaped: the right length in the wrong letters, lower case, foreign letters.
  'abcdefghijklmnopqrstuvwx',
  'ZE8N-0000-03PG-PP00-GMM2-X63C',
  '\u0f09\u1568\u17ab\u2278\u0c15\u1206\u1e1b\u1ec6\u0211',
  '2026-02-30',
  '2026-11-26T10:00:00.000Z',
  'a'.repeat(1001),
  'é'.repeat(5000),
  'x'.repeat(70_000),
];

/** Any string: nasty ones often, random unicode too. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

/** JSON nested `depth` levels deep: `[[[…]]]`. */
export function deepArray(depth: number): unknown {
  let value: unknown = 0;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** A value of the wrong kind or the wrong size for almost any field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: anyString },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      null,
      true,
      false,
      0,
      -1,
      -2500,
      1.5,
      2 ** 53 + 2,
      Number.MAX_SAFE_INTEGER,
      6.9e112,
      -(2 ** 53),
      1e308,
      Number.MIN_VALUE,
      {},
      [],
      [null],
      { $gt: '' },
      { __proto__: { admin: true } },
    ),
  },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      deepArray(64),
      Array.from({ length: 20_000 }, () => 0),
      Array.from({ length: 200 }, () => ({ a: 'x'.repeat(100) })),
    ),
  },
);

type Path = readonly (string | number)[];

/** Every path to a value inside `value` (objects and arrays), the root excluded. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => [
      [...prefix, index],
      ...pathsOf(item, [...prefix, index]),
    ]);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [
      [...prefix, key],
      ...pathsOf(item, [...prefix, key]),
    ]);
  }
  return [];
}

type Edit =
  | { readonly kind: 'replace'; readonly value: unknown }
  | { readonly kind: 'delete' }
  | { readonly kind: 'extra'; readonly key: string; readonly value: unknown }
  | { readonly kind: 'duplicate' };

function applyEdit(root: unknown, path: Path, edit: Edit): unknown {
  const copy = structuredClone(root);
  if (path.length === 0) return copy;
  let parent: unknown = copy;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[step];
  const last = path[path.length - 1] as string | number;
  const holder = parent as Record<string | number, unknown>;
  switch (edit.kind) {
    case 'replace':
      holder[last] = edit.value;
      break;
    case 'delete':
      if (Array.isArray(holder)) holder.splice(Number(last), 1);
      else Reflect.deleteProperty(holder, last);
      break;
    case 'extra': {
      const target = holder[last];
      if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
        (target as Record<string, unknown>)[edit.key] = edit.value;
      } else holder[last] = { [edit.key]: edit.value };
      break;
    }
    case 'duplicate':
      // A second copy of an array item: duplicate ids, the same line twice.
      if (Array.isArray(holder)) holder.push(structuredClone(holder[Number(last)]));
      else holder[last] = [holder[last], holder[last]];
      break;
  }
  return copy;
}

const anEdit = (swaps: readonly unknown[]): fc.Arbitrary<Edit> =>
  fc.oneof(
    { weight: 5, arbitrary: hostileValue.map((value): Edit => ({ kind: 'replace', value })) },
    swaps.length === 0
      ? { weight: 1, arbitrary: fc.constant<Edit>({ kind: 'delete' }) }
      : {
          weight: 2,
          arbitrary: fc.constantFrom(...swaps).map((value): Edit => ({ kind: 'replace', value })),
        },
    { weight: 2, arbitrary: fc.constant<Edit>({ kind: 'delete' }) },
    {
      weight: 1,
      arbitrary: fc
        .record({
          key: fc.constantFrom('extra', 'id', 'storeId', '__proto__'),
          value: hostileValue,
        })
        .map(({ key, value }): Edit => ({ kind: 'extra', key, value })),
    },
    { weight: 1, arbitrary: fc.constant<Edit>({ kind: 'duplicate' }) },
  );

/**
 * `valid` with one thing changed at one place. `swaps`: values that are valid somewhere else
 * (another store's ids, another sale's codes) to put in any field.
 */
export function mutated(valid: unknown, swaps: readonly unknown[] = []): fc.Arbitrary<unknown> {
  const paths = pathsOf(valid);
  if (paths.length === 0) return hostileValue;
  return fc
    .tuple(fc.constantFrom(...paths), anEdit(swaps))
    .map(([path, edit]) => applyEdit(valid, path, edit));
}

/** A form (field → text) with one field changed, removed, repeated or added. */
export function mutatedForm(
  valid: Readonly<Record<string, string>>,
  swaps: readonly string[] = [],
): fc.Arbitrary<string> {
  const names = Object.keys(valid);
  const text = swaps.length === 0 ? anyString : fc.oneof(anyString, fc.constantFrom(...swaps));
  const withField = (name: string, value: string) => {
    const params = new URLSearchParams(valid);
    params.set(name, value);
    return params.toString();
  };
  const edits: fc.Arbitrary<string>[] = [
    fc
      .tuple(fc.constantFrom('extra', 'csrf', 'next', 'storeId', 'id'), text)
      .map(([name, value]) => {
        const params = new URLSearchParams(valid);
        params.append(name, value);
        return params.toString();
      }),
  ];
  if (names.length > 0) {
    const field = fc.constantFrom(...names);
    edits.push(
      fc.tuple(field, text).map(([name, value]) => withField(name, value)),
      field.map((name) => {
        const params = new URLSearchParams(valid);
        params.delete(name);
        return params.toString();
      }),
      // The same field twice: @fastify/formbody gives an array, not a string.
      fc.tuple(field, text).map(([name, value]) => {
        const params = new URLSearchParams(valid);
        params.append(name, value);
        return params.toString();
      }),
    );
  }
  return fc.oneof(...edits);
}

/** A random form body, or raw bytes that are not one. */
export const randomFormBody: fc.Arbitrary<string> = fc.oneof(
  fc
    .dictionary(fc.constantFrom('code', 'email', 'name', 'csrf', 'x', 'reason', 'price'), anyString)
    .map((fields) => new URLSearchParams(fields).toString()),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('%', '%%%', 'a=%ZZ', '=&=&', 'a[b]=1&a[c]=2', '&'.repeat(5000)),
);

/**
 * Percent-encodes every byte of the text's UTF-8 but the unreserved ones. Unlike
 * encodeURIComponent it takes a lone surrogate too (as U+FFFD, which is what a browser sends).
 */
export function percentEncode(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** A path segment: valid-looking or hostile, percent-encoded as a browser would send it. */
export function pathSegment(valid: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...valid),
    anyString.filter((value) => value.length > 0).map(percentEncode),
    fc.constantFrom('..', '%2e%2e', '%00', '%E0%A4%A', 'a%2Fb', ' ', '%20'),
  );
}

/** A query string from `keys` with hostile values, sometimes repeated keys or broken encoding. */
export function queryString(keys: readonly string[], valid: Readonly<Record<string, string>> = {}) {
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(...keys), anyString)
      .map(([key, value]) => `?${new URLSearchParams({ ...valid, [key]: value }).toString()}`),
    fc
      .tuple(fc.constantFrom(...keys), anyString, anyString)
      .map(([key, a, b]) => `?${key}=${percentEncode(a)}&${key}=${percentEncode(b)}`),
    fc.constantFrom('?%', '?a=%ZZ', '?&&&', `?${'q='.repeat(3000)}`, '?__proto__[x]=1'),
    fc.constant(`?${new URLSearchParams(valid).toString()}`),
  );
}
