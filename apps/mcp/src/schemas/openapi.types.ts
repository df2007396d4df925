// The parts of an OpenAPI 3.0 document the MCP server reads: enough to find an operation
// by its operationId and the schemas of its parameters, body and answers.

/** An OpenAPI 3.0 Schema Object, or a JSON Schema made from one: open-ended JSON. */
export type SchemaObject = { [keyword: string]: unknown };

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema: SchemaObject;
}

export interface OperationObject {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: ParameterObject[];
  requestBody?: { content: Record<string, { schema: SchemaObject }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: SchemaObject }> }>;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, SchemaObject> };
}
