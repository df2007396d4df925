import { readFileSync } from 'node:fs';
import { buildToolSchemas, operation } from './tool.schemas.js';
import { OPENAPI_DOCUMENT } from './openapi.document.js';
import type { OpenApiDocument } from './openapi.types.js';

// Read from disk here, not through the import the server uses, so the test also proves the
// compiled-in document is the committed file.
const committed = JSON.parse(readFileSync(new URL('../../../../openapi.json', import.meta.url), 'utf8')) as any;
const schemas = committed.components.schemas;
const paramsOf = (path: string, method: string) => committed.paths[path][method].parameters as any[];
const tools = buildToolSchemas(OPENAPI_DOCUMENT, 45);

/** No `$ref`, `nullable` or `example` left anywhere: the schema stands alone as JSON Schema. */
function selfContained(schema: unknown): void {
  const text = JSON.stringify(schema);
  expect(text).not.toContain('"$ref"');
  expect(text).not.toContain('"nullable"');
  expect(text).not.toContain('"example"');
}

describe('the tool schemas are the OpenAPI document’s', () => {
  it('is built from the committed openapi.json', () => {
    expect(OPENAPI_DOCUMENT).toEqual(committed);
  });

  it("create_video takes GenerateVideoDto's fields and rules as written, plus the Idempotency-Key header and waitSeconds", () => {
    const { inputSchema } = tools.create_video;
    const { idempotencyKey, waitSeconds, ...fields } = inputSchema.properties;
    // GenerateVideoDto has no nullable fields or examples but `example`: those become `examples`.
    const asJsonSchema = (s: any) => {
      const { example, ...rest } = s;
      return example === undefined ? rest : { ...rest, examples: [example] };
    };
    expect(fields).toEqual(Object.fromEntries(Object.entries(schemas.GenerateVideoDto.properties).map(([k, s]) => [k, asJsonSchema(s)])));
    expect(inputSchema.required).toEqual(schemas.GenerateVideoDto.required);
    expect(inputSchema.type).toBe('object');
    const header = paramsOf('/api/v1/videos/generate', 'post').find((p) => p.name === 'Idempotency-Key');
    expect(idempotencyKey).toEqual({ ...header.schema, description: header.description });
    expect(waitSeconds).toMatchObject({ type: 'integer', minimum: 0, maximum: 600, default: 45 });
  });

  it('get_video and delete_video take the id path parameter of videosGet and videosRemove', () => {
    for (const [tool, method] of [
      ['get_video', 'get'],
      ['delete_video', 'delete'],
    ] as const) {
      const id = paramsOf('/api/v1/videos/{id}', method).find((p) => p.in === 'path' && p.name === 'id');
      expect(tools[tool].inputSchema).toEqual({ type: 'object', properties: { id: id.schema }, required: ['id'] });
    }
  });

  it('list_videos takes the query parameters of videosList, none required', () => {
    const query = paramsOf('/api/v1/videos', 'get').filter((p) => p.in === 'query');
    expect(query.map((p) => p.name)).toEqual(['page', 'limit', 'cursor', 'status']);
    // A parameter's description (page and cursor say which to prefer) travels with its schema.
    const properties = Object.fromEntries(query.map((p) => [p.name, p.description ? { ...p.schema, description: p.description } : p.schema]));
    expect(tools.list_videos.inputSchema).toEqual({ type: 'object', properties });
    expect(properties.cursor.description).toMatch(/Preferred way to page/);
  });

  it('answers with VideoDto and VideoListDto, references inlined and nullable fields allowing null', () => {
    const video = tools.get_video.outputSchema!;
    expect(tools.create_video.outputSchema).toEqual(video);
    expect(Object.keys(video.properties)).toEqual(Object.keys(schemas.VideoDto.properties));
    expect(video.required).toEqual(schemas.VideoDto.required);
    expect(video.properties.status).toEqual(schemas.VideoDto.properties.status);
    expect(video.properties.error).toEqual({ type: ['string', 'null'], examples: [null], description: 'Which stage failed and why' });
    expect(Object.keys(video.properties.links!.properties as object)).toEqual(Object.keys(schemas.VideoLinksDto.properties));
    expect((video.properties.links!.properties as any).file.type).toEqual(['string', 'null']);
    const list = tools.list_videos.outputSchema!;
    expect(list.required).toEqual(schemas.VideoListDto.required);
    expect(list.properties.items).toEqual({ type: 'array', items: video });
    expect(tools.delete_video.outputSchema).toBeUndefined();
    for (const tool of Object.values(tools)) {
      selfContained(tool.inputSchema);
      if (tool.outputSchema) selfContained(tool.outputSchema);
    }
  });

  it('follows a change of the API: a new field, a new limit, a new query parameter', () => {
    const changed = structuredClone(committed) as OpenApiDocument & { components: { schemas: Record<string, any> } };
    changed.components.schemas.GenerateVideoDto.properties.slideCount.maximum = 30;
    changed.components.schemas.GenerateVideoDto.properties.music = { type: 'string', enum: ['none', 'calm'] };
    operation(changed, 'videosList').parameters!.push({ name: 'q', in: 'query', schema: { type: 'string' } });
    const next = buildToolSchemas(changed, 45);
    expect(next.create_video.inputSchema.properties.slideCount).toMatchObject({ minimum: 3, maximum: 30 });
    expect(next.create_video.inputSchema.properties.music).toEqual({ type: 'string', enum: ['none', 'calm'] });
    expect(next.list_videos.inputSchema.properties.q).toEqual({ type: 'string' });
  });

  it('refuses a document without an operation a tool maps to', () => {
    const changed = structuredClone(committed);
    delete changed.paths['/api/v1/videos/{id}'].delete;
    expect(() => buildToolSchemas(changed, 45)).toThrow('the OpenAPI document has no operation videosRemove');
  });
});
