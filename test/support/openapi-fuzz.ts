/**
 * Hostile requests derived from an OpenAPI 3 document: for every operation and
 * every field, parameter and header it declares, values of the wrong type,
 * text PostgreSQL cannot store, sizes past every limit, nesting past every
 * parser, and bodies that are not JSON at all. Deterministic: the only
 * "random" strings come from a seeded generator.
 */
import { anyFieldValues, seededRandom, typedValues, unsignedToken, wholeBodies, withField } from './hostile-values.js';

export interface FuzzRequest {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Send the test user's bearer token unless the case sets Authorization itself. */
  auth: boolean;
}

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export class OpenApiFuzzer {
  private readonly random = seededRandom(20240611);

  constructor(
    private readonly doc: OpenApiDoc,
    /** The value a `{name}` path parameter takes in the baseline request (a real video id). */
    private readonly pathValues: Record<string, string>,
  ) {}

  requests(): FuzzRequest[] {
    const out: FuzzRequest[] = [];
    for (const [template, item] of Object.entries(this.doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        out.push(...this.forOperation(method.toUpperCase(), template, op));
      }
    }
    // Both as the signed-in user and as nobody.
    return out.flatMap((r) => [r, { ...r, label: `${r.label} (no token)`, auth: false }]);
  }

  private forOperation(method: string, template: string, op: Operation): FuzzRequest[] {
    const params = op.parameters ?? [];
    const query = params.filter((p) => p.in === 'query');
    const pathParams = params.filter((p) => p.in === 'path');
    const bodySchema = this.resolve(op.requestBody?.content?.['application/json']?.schema);
    const path = (overrides: Record<string, string> = {}, queryString = '') =>
      template.replace(/\{(\w+)\}/g, (_m, name: string) => overrides[name] ?? this.pathValues[name] ?? 'x') + queryString;
    const baseBody = bodySchema ? this.validObject(bodySchema) : undefined;
    const hasBody = !['GET', 'HEAD'].includes(method);
    const req = (label: string, p: string, headers: Record<string, string> = {}, body?: string | Buffer): FuzzRequest => ({
      label: `${method} ${template} ${label}`,
      method,
      path: p,
      headers: hasBody && body !== undefined && !('content-type' in headers) ? { 'content-type': 'application/json', ...headers } : headers,
      body: hasBody ? body : undefined,
      auth: true,
    });
    const base = baseBody === undefined ? undefined : JSON.stringify(baseBody);
    const out: FuzzRequest[] = [req('baseline', path(), {}, base)];

    if (bodySchema && baseBody) {
      for (const [field, schema] of Object.entries(bodySchema.properties ?? {})) {
        const values = [...anyFieldValues(this.random), ...typedValues(this.resolve(schema) ?? {})];
        values.forEach((value, i) => out.push(req(`body.${field} #${i}`, path(), {}, withField(baseBody, field, value))));
        const without = { ...baseBody };
        delete without[field];
        out.push(req(`body without ${field}`, path(), {}, JSON.stringify(without)));
      }
      out.push(req('extra field', path(), {}, JSON.stringify({ ...baseBody, extra: 1, __proto__x: 'y' })));
      out.push(req('duplicate keys', path(), {}, base!.replace(/^\{/, `{"${Object.keys(baseBody)[0]}":"\\u0000",`)));
      for (const [label, headers, body] of wholeBodies(base!)) out.push(req(label, path(), headers, body));
    }

    for (const p of query) {
      const values = [
        '%00',
        '%ED%A0%80',
        'x'.repeat(8000),
        '-1',
        '0',
        '1e999',
        'NaN',
        'Infinity',
        '1.5',
        '99999999999999999999',
        '',
        '%FF',
        '[]',
        'a&x=1',
      ];
      values.forEach((v, i) => out.push(req(`query ${p.name} #${i}`, path({}, `?${p.name}=${v}`))));
      out.push(req(`query ${p.name} twice`, path({}, `?${p.name}=1&${p.name}=2`)));
      out.push(req(`query ${p.name} nested`, path({}, `?${p.name}[a]=1&${p.name}[__proto__][x]=1`)));
    }
    out.push(req('unknown query', path({}, '?__proto__[x]=1&constructor[prototype][x]=1'), {}, base));

    for (const p of pathParams) {
      const real = this.pathValues[p.name] ?? 'x';
      const ids = [
        'not-a-uuid',
        real.toUpperCase(),
        `${real}${'0'.repeat(300)}`,
        `${real}x`,
        '%00',
        '%ED%A0%80',
        '%FF',
        '..%2F..%2Fetc%2Fpasswd',
        `{${real}}`,
        '00000000-0000-0000-0000-000000000000',
        "'%20OR%201=1",
      ];
      ids.forEach((id, i) => out.push(req(`path ${p.name} #${i}`, path({ [p.name]: id }), {}, base)));
    }

    const headerCases: Record<string, string>[] = [
      { authorization: `Bearer ${'a'.repeat(100 * 1024)}` },
      { authorization: 'Bearer' },
      { authorization: 'Bearer a.b.c' },
      { authorization: 'Basic YWRhOnB3' },
      { authorization: `Bearer ${unsignedToken()}` },
      { authorization: 'Bearer \u00e9\u00e9' },
      { accept: 'text/html' },
      { 'x-forwarded-for': '1.2.3.4, '.repeat(2000) },
      { 'if-none-match': '"x"'.repeat(1000) },
    ];
    if (/\/(file|thumbnail|captions)$/.test(template)) {
      const many = Array.from({ length: 500 }, (_v, i) => `${i}-${i}`).join(',');
      headerCases.push(
        { range: `bytes=${many}` },
        { range: 'bytes=0-0,1-1,2-2' },
        { range: 'bytes=-0' },
        { range: 'bytes=99999999999999999999-' },
        { range: 'bytes=5-1' },
        { range: 'items=0-1' },
        { range: `bytes=${'0'.repeat(10_000)}-1` },
        { range: 'bytes=-99999999999999999999' },
      );
    }
    headerCases.forEach((h, i) => out.push(req(`header #${i} ${Object.keys(h)[0]}`, path(), h, base)));
    return out;
  }

  private resolve(schema: Schema | undefined): Schema | undefined {
    if (!schema?.$ref) return schema;
    return this.doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
  }

  /** A body the schema accepts, from its examples, defaults and enums. */
  private validObject(schema: Schema): Record<string, unknown> {
    const body: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(schema.properties ?? {})) {
      const s = this.resolve(raw) ?? {};
      body[name] =
        s.example ??
        s.default ??
        s.enum?.[0] ??
        (s.type === 'integer' || s.type === 'number' ? (s.minimum ?? 1) : s.type === 'boolean' ? true : 'x'.repeat(Math.max(s.minLength ?? 0, 12)));
    }
    return body;
  }
}
