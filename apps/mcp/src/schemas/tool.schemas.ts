import { MCP_MAX_WAIT_SECONDS } from '@app/config';
import { toJsonSchema } from './json-schema.converter.js';
import type { OpenApiDocument, OperationObject, ParameterObject, SchemaObject } from './openapi.types.js';

/** A tool's input schema: MCP wants an object schema at the top. */
export interface ObjectSchema extends SchemaObject {
  type: 'object';
  properties: Record<string, SchemaObject>;
  required?: string[];
}

export interface ToolSchemas {
  inputSchema: ObjectSchema;
  /** The resource the tool answers with, when it answers with one (structuredContent). */
  outputSchema?: ObjectSchema;
}

export type VideoToolName = 'create_video' | 'get_video' | 'list_videos' | 'delete_video';

/**
 * Each tool's schemas, taken from the API's own operations (found by operationId, as the
 * SDK's functions are named), so a field the API gains or a limit it changes reaches the
 * tools with the next build and nothing here is written twice:
 * - create_video: the videosGenerate body (GenerateVideoDto), its Idempotency-Key header
 *   as `idempotencyKey`, and `waitSeconds`, the one argument that is the tool's own;
 * - get_video, delete_video: the `id` path parameter of videosGet and videosRemove;
 * - list_videos: the query parameters of videosList;
 * - outputs: the success answers (VideoDto, VideoListDto); delete_video answers 204, so none.
 */
export function buildToolSchemas(document: OpenApiDocument, defaultWaitSeconds: number): Record<VideoToolName, ToolSchemas> {
  const generate = operation(document, 'videosGenerate');
  const body = objectSchema(toJsonSchema(document, jsonContent(generate.requestBody?.content, 'videosGenerate request body')), 'GenerateVideoDto');
  const idempotencyKey = parameter(generate, 'header', 'Idempotency-Key');
  const createInput: ObjectSchema = {
    ...body,
    properties: {
      ...body.properties,
      idempotencyKey: parameterSchema(document, idempotencyKey),
      waitSeconds: {
        type: 'integer',
        minimum: 0,
        maximum: MCP_MAX_WAIT_SECONDS,
        default: defaultWaitSeconds,
        description: 'How long to wait for the video to finish before answering with it as it stands (it goes on being made; follow it with get_video)',
      },
    },
  };
  return {
    create_video: { inputSchema: createInput, outputSchema: successSchema(document, generate) },
    get_video: idTool(document, 'videosGet'),
    delete_video: { inputSchema: idTool(document, 'videosRemove').inputSchema },
    list_videos: {
      inputSchema: parametersSchema(document, operation(document, 'videosList'), 'query'),
      outputSchema: successSchema(document, operation(document, 'videosList')),
    },
  };
}

/** The operation with this operationId; the document is the contract, so a missing one is a build error, loudly. */
export function operation(document: OpenApiDocument, operationId: string): OperationObject {
  for (const methods of Object.values(document.paths)) {
    for (const op of Object.values(methods)) if (op.operationId === operationId) return op;
  }
  throw new Error(`the OpenAPI document has no operation ${operationId}`);
}

function idTool(document: OpenApiDocument, operationId: string): ToolSchemas {
  const op = operation(document, operationId);
  parameter(op, 'path', 'id');
  return { inputSchema: parametersSchema(document, op, 'path'), outputSchema: op.responses['200']?.content ? successSchema(document, op) : undefined };
}

function parameter(op: OperationObject, where: ParameterObject['in'], name: string): ParameterObject {
  const found = op.parameters?.find((p) => p.in === where && p.name === name);
  if (!found) throw new Error(`${op.operationId} has no ${where} parameter ${name}`);
  return found;
}

/** A parameter's schema, with the parameter's description when its schema has none. */
function parameterSchema(document: OpenApiDocument, p: ParameterObject): SchemaObject {
  const schema = toJsonSchema(document, p.schema);
  return p.description && schema.description === undefined ? { ...schema, description: p.description } : schema;
}

function parametersSchema(document: OpenApiDocument, op: OperationObject, where: ParameterObject['in']): ObjectSchema {
  const params = (op.parameters ?? []).filter((p) => p.in === where);
  const required = params.filter((p) => p.required).map((p) => p.name);
  return {
    type: 'object',
    properties: Object.fromEntries(params.map((p) => [p.name, parameterSchema(document, p)])),
    ...(required.length ? { required } : {}),
  };
}

/** The JSON body of the operation's 2xx answer. */
function successSchema(document: OpenApiDocument, op: OperationObject): ObjectSchema {
  const status = Object.keys(op.responses).find((s) => /^2\d\d$/.test(s) && op.responses[s]?.content);
  const content = status ? op.responses[status]?.content : undefined;
  return objectSchema(toJsonSchema(document, jsonContent(content, `${op.operationId} answer`)), `${op.operationId} answer`);
}

function jsonContent(content: Record<string, { schema: SchemaObject }> | undefined, what: string): SchemaObject {
  const schema = content?.['application/json']?.schema;
  if (!schema) throw new Error(`the OpenAPI document gives no JSON schema for the ${what}`);
  return schema;
}

function objectSchema(schema: SchemaObject, what: string): ObjectSchema {
  if (schema.type !== 'object' || typeof schema.properties !== 'object') throw new Error(`${what} is not an object schema; MCP tools need one`);
  return schema as ObjectSchema;
}
