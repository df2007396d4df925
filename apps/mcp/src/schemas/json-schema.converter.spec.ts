import { toJsonSchema } from './json-schema.converter.js';
import type { OpenApiDocument, SchemaObject } from './openapi.types.js';

const doc = (schemas: Record<string, SchemaObject>): OpenApiDocument => ({
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths: {},
  components: { schemas },
});

describe('toJsonSchema', () => {
  it('inlines $refs, nested in properties, items and oneOf, so the schema stands alone', () => {
    const d = doc({
      Link: { type: 'object', properties: { href: { type: 'string' } }, required: ['href'] },
      Page: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Link' } } } },
    });
    expect(toJsonSchema(d, { oneOf: [{ $ref: '#/components/schemas/Page' }, { type: 'string' }] })).toEqual({
      oneOf: [
        {
          type: 'object',
          properties: { items: { type: 'array', items: { type: 'object', properties: { href: { type: 'string' } }, required: ['href'] } } },
        },
        { type: 'string' },
      ],
    });
  });

  it("turns OpenAPI's nullable into a null type (and a null in the enum), and example into examples", () => {
    const d = doc({});
    expect(toJsonSchema(d, { type: 'string', nullable: true, example: null, description: 'why it failed' })).toEqual({
      type: ['string', 'null'],
      examples: [null],
      description: 'why it failed',
    });
    expect(toJsonSchema(d, { type: 'string', enum: ['a', 'b'], nullable: true })).toEqual({ type: ['string', 'null'], enum: ['a', 'b', null] });
    expect(toJsonSchema(d, { nullable: false, type: 'number' })).toEqual({ type: 'number' });
  });

  it('keeps every other keyword as written: limits, formats, defaults, descriptions', () => {
    const schema = { type: 'number', minimum: 3, maximum: 20, default: 6, format: 'int32', description: 'slides' };
    expect(toJsonSchema(doc({}), schema)).toEqual(schema);
  });

  it("rewrites OpenAPI 3.0's boolean exclusive bounds in the number form", () => {
    expect(toJsonSchema(doc({}), { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: false })).toEqual({
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
    });
  });

  it('refuses a reference to nothing and a schema that refers to itself', () => {
    expect(() => toJsonSchema(doc({}), { $ref: '#/components/schemas/Gone' })).toThrow('the OpenAPI document has no schema #/components/schemas/Gone');
    const d = doc({ Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' } } } });
    expect(() => toJsonSchema(d, { $ref: '#/components/schemas/Node' })).toThrow('the schema Node → Node refers to itself');
  });

  it('leaves the document untouched', () => {
    const d = doc({ V: { type: 'object', properties: { at: { type: 'string', nullable: true, example: 'x' } } } });
    const before = structuredClone(d);
    toJsonSchema(d, { $ref: '#/components/schemas/V' });
    expect(d).toEqual(before);
  });
});
