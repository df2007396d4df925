import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType, JsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import type { ToolSchemas, VideoToolName } from '../schemas/tool.schemas.js';
import type { VideoTool } from '../tools/tool.types.js';

export interface CatalogEntry {
  tool: VideoTool;
  /** Undefined when the arguments fit the input schema, else what is wrong with them. */
  check(args: unknown): string | undefined;
  /** Whether the tool declares an outputSchema, and so must answer with structuredContent. */
  structured: boolean;
}

/**
 * The tools with their schemas, as listed to clients, and a validator per input schema,
 * compiled once (the HTTP transport builds a Server per request). The low-level MCP Server
 * validates nothing itself, and a bad argument should come back as the tool's error naming
 * the field before the API is asked (the API checks again).
 */
export class ToolCatalog {
  private readonly entries = new Map<string, CatalogEntry>();
  readonly definitions: Tool[];

  constructor(tools: readonly VideoTool[], schemas: Record<VideoToolName, ToolSchemas>, validator = new AjvJsonSchemaValidator()) {
    this.definitions = tools.map((tool) => {
      const { inputSchema, outputSchema } = schemas[tool.name];
      const validate: JsonSchemaValidator<unknown> = validator.getValidator(inputSchema as JsonSchemaType);
      const check = (args: unknown) => {
        const result = validate(args);
        return result.valid ? undefined : readable(result.errorMessage);
      };
      this.entries.set(tool.name, { tool, check, structured: outputSchema !== undefined });
      return {
        name: tool.name,
        title: tool.title,
        description: tool.description,
        inputSchema,
        ...(outputSchema ? { outputSchema } : {}),
        annotations: { title: tool.title, ...tool.annotations },
      };
    });
  }

  get(name: string): CatalogEntry | undefined {
    return this.entries.get(name);
  }
}

/** Ajv says `data/slideCount must be <= 20, data must have required property 'prompt'`; the arguments have names. */
function readable(message: string): string {
  return message.replace(/\bdata\//g, '').replace(/\bdata\b/g, 'the arguments');
}
