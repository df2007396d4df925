import type { BlinkedClient, VideoDto } from '@blinked/sdk';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { VideoToolName } from '../schemas/tool.schemas.js';

/** What one call of a tool gets: the API client, and the call's own cancellation and progress. */
export interface ToolCall {
  blinked: BlinkedClient;
  /** Aborted when the client cancels the call or the server shuts down. */
  signal: AbortSignal;
  /** create_video's wait when the call gives no waitSeconds (MCP_WAIT_SECONDS). */
  defaultWaitSeconds: number;
  /** Reports a video's progress to the client; does nothing unless the call asked for progress. */
  progress(video: VideoDto): Promise<void>;
}

/** A tool's answer before it becomes an MCP result (see tool.results.ts). */
export interface ToolAnswer {
  /** One or two sentences for people and models: what happened, what to do next. */
  summary: string;
  /** The API's resource, sent as JSON text and, when the tool declares an outputSchema, as structuredContent. */
  resource?: object;
  /** The call did not do what it was for (a video that failed while create_video waited). */
  isError?: boolean;
}

export interface VideoTool {
  name: VideoToolName;
  title: string;
  description: string;
  annotations: ToolAnnotations;
  /** `args` were already checked against the tool's input schema. */
  run(args: Record<string, unknown>, call: ToolCall): Promise<ToolAnswer>;
}
