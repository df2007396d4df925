/**
 * The hostile values the OpenAPI fuzzer (openapi-fuzz.ts) sends: per field,
 * whole bodies, and tokens. Deterministic: the only "random" strings come
 * from a seeded generator.
 */

export interface ValueSchema {
  type?: string;
  format?: string;
  enum?: unknown[];
  maxLength?: number;
}

/** A JSON literal inserted as it is (numbers JSON.stringify cannot write, deep nesting, odd keys). */
export class Raw {
  constructor(readonly json: string) {}
}
export type FieldValue = unknown;

const MB = 1024 * 1024;
const DEEP = 10_000;
const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '0' + '}'.repeat(depth);

/** mulberry32: small, seeded, the same sequence on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_ALPHABET = ['\u0000', '\ud800', '\udfff', '\u0001', '\u202e', '\ufeff', '"', '\\', '%', "'", '<', '\n', '😀', 'é', 'a', '0', ' '];

function hostileString(random: () => number, length: number): string {
  return Array.from({ length }, () => HOSTILE_ALPHABET[Math.floor(random() * HOSTILE_ALPHABET.length)]).join('');
}

/** Values every field gets, whatever its declared type. */
export function anyFieldValues(random: () => number): FieldValue[] {
  return [
    null,
    true,
    false,
    0,
    -1,
    1.5,
    -0.000001,
    1e308,
    -1e308,
    new Raw('9007199254740993'),
    new Raw('1e400'), // valid JSON, parses to Infinity
    new Raw('-1e400'),
    new Raw('-0'),
    'NaN',
    'Infinity',
    '-1',
    '1e999',
    '',
    '   ',
    'a\u0000b',
    '\u0000',
    'x\ud800y',
    '\udc00',
    '\udfff\ud800',
    'x'.repeat(MB), // past the body limit: 413
    'é'.repeat(300_000), // under it in characters, 600 KB of UTF-8
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '%00%ED%A0%80',
    '\u202e\ufeff\u0001\u001f',
    hostileString(random, 40),
    hostileString(random, 4000),
    [],
    {},
    [1, 'two', null],
    { a: 1 },
    ['\u0000'],
    { '\u0000': 'x' },
    new Raw(deepArray(DEEP)),
    new Raw(deepObject(DEEP)),
    new Raw('{"__proto__":{"polluted":true}}'),
    new Raw('{"constructor":{"prototype":{"polluted":true}}}'),
  ];
}

export function typedValues(schema: ValueSchema): FieldValue[] {
  const values: FieldValue[] = [];
  if (schema.enum) values.push(...schema.enum.map((v) => (typeof v === 'string' ? v.toUpperCase() + '\u0000' : v)), 'not-in-the-enum');
  if (schema.type === 'integer' || schema.type === 'number') values.push('5', '5abc', 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, 3.0000001);
  if (schema.type === 'string') values.push(123, 'x'.repeat((schema.maxLength ?? 100) + 1));
  if (schema.format === 'email') values.push('a@b', '@example.com', `${'a'.repeat(300)}@example.com`, 'ADA@EXAMPLE.COM\u0000');
  return values;
}

export function withField(base: Record<string, unknown>, field: string, value: FieldValue): string {
  if (!(value instanceof Raw)) return JSON.stringify({ ...base, [field]: value });
  const marker = '@@raw-value@@';
  return JSON.stringify({ ...base, [field]: marker }).replace(JSON.stringify(marker), value.json);
}

export function wholeBodies(valid: string): [string, Record<string, string>, string | Buffer][] {
  return [
    ['body: deep array', {}, deepArray(DEEP)],
    ['body: deep object', {}, deepObject(DEEP)],
    ['body: mixed deep', {}, '[{"a":'.repeat(DEEP / 2) + '1' + '}]'.repeat(DEEP / 2)],
    ['body: text/plain', { 'content-type': 'text/plain' }, valid],
    ['body: form', { 'content-type': 'application/x-www-form-urlencoded' }, 'email=a%00b&password=x&__proto__[x]=1'],
    ['body: multipart', { 'content-type': 'multipart/form-data; boundary=x' }, '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--'],
    ['body: octet-stream', { 'content-type': 'application/octet-stream' }, '\u0000\u0001'],
    ['body: no content-type', { 'content-type': '' }, valid],
    ['body: invalid JSON', {}, '{"email": "a@b.c",'],
    ['body: not JSON at all', {}, 'hello'],
    ['body: empty', {}, ''],
    ['body: BOM', {}, `\ufeff${valid}`],
    ['body: utf-16 claim', { 'content-type': 'application/json; charset=utf-16' }, valid],
    ['body: vendor json', { 'content-type': 'application/vnd.api+json' }, valid],
    ['body: null', {}, 'null'],
    ['body: array', {}, '[]'],
    ['body: string', {}, '"x"'],
    ['body: number', {}, '1e400'],
    ['body: proto', {}, '{"__proto__":{"admin":true}}'],
    ['body: 1 MB', {}, JSON.stringify({ x: 'y'.repeat(MB) })],
    ['body: invalid UTF-8', {}, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xed, 0xa0, 0x80, 0x22, 0x7d])],
    ['body: UTF-16', {}, Buffer.from(valid, 'utf16le')],
  ];
}

/** A token with alg "none": a server that trusted the header would accept it. */
export function unsignedToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: '00000000-0000-0000-0000-000000000000', typ: 'access', exp: 9999999999 })}.`;
}
