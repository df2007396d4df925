import type { OpenApiDocument, SchemaObject } from './openapi.types.js';

const COMPONENT_REF = /^#\/components\/schemas\/([^/]+)$/;

/**
 * An OpenAPI 3.0 schema as a self-contained JSON Schema, for MCP tool definitions:
 * - `$ref`s are replaced by the schemas they name (recursively), because a tool's schema
 *   travels alone: a client has no document to resolve `#/components/...` against;
 * - `nullable: true` (OpenAPI only) becomes `null` among the types (and the enum), or
 *   validators such as Ajv refuse the `null` the API does send for `error`, `completedAt`…;
 * - `example` becomes JSON Schema's `examples`; a boolean `exclusiveMinimum`/`Maximum`
 *   (OpenAPI 3.0's form) becomes the number form.
 * Everything else is kept as written, so a tool's schema says exactly what the API's does.
 * A cycle of references throws: it cannot be inlined (none exists in the document today).
 */
export function toJsonSchema(document: OpenApiDocument, schema: SchemaObject, seen: readonly string[] = []): SchemaObject {
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const name = COMPONENT_REF.exec(ref)?.[1];
    const target = name === undefined ? undefined : document.components?.schemas?.[name];
    if (!name || !target) throw new Error(`the OpenAPI document has no schema ${ref}`);
    if (seen.includes(name)) throw new Error(`the schema ${[...seen, name].join(' → ')} refers to itself; it cannot be inlined`);
    return toJsonSchema(document, target, [...seen, name]);
  }
  const out: SchemaObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'nullable' || keyword === 'example') continue;
    out[keyword] = convertValue(document, keyword, value, seen);
  }
  if ('example' in schema && !('examples' in schema)) out.examples = [schema.example];
  convertExclusiveBounds(out);
  return schema.nullable === true ? withNull(out) : out;
}

/** Keywords whose values are schemas, or maps or lists of schemas, are converted in turn. */
function convertValue(document: OpenApiDocument, keyword: string, value: unknown, seen: readonly string[]): unknown {
  const convert = (s: unknown) => toJsonSchema(document, s as SchemaObject, seen);
  switch (keyword) {
    case 'items':
    case 'not':
      return convert(value);
    case 'additionalProperties':
      return typeof value === 'object' && value !== null ? convert(value) : value;
    case 'properties':
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, s]) => [k, convert(s)]));
    case 'allOf':
    case 'anyOf':
    case 'oneOf':
      return (value as unknown[]).map(convert);
    default:
      return value;
  }
}

function convertExclusiveBounds(schema: SchemaObject): void {
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof schema[exclusive] !== 'boolean') continue;
    if (schema[exclusive] && typeof schema[bound] === 'number') {
      schema[exclusive] = schema[bound];
      delete schema[bound];
    } else delete schema[exclusive];
  }
}

function withNull(schema: SchemaObject): SchemaObject {
  if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  else if (Array.isArray(schema.type) && !schema.type.includes('null')) schema.type = [...(schema.type as unknown[]), 'null'];
  else if (schema.type === undefined) return { anyOf: [schema, { type: 'null' }] };
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...(schema.enum as unknown[]), null];
  return schema;
}
