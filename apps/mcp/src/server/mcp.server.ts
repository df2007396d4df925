import { BlinkedApiError, type BlinkedClient, type VideoDto } from '@blinked/sdk';
// The low-level Server, not McpServer: McpServer.registerTool takes zod shapes, and these
// tools' schemas are JSON Schemas taken from the OpenAPI document, which Server lists as they are.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type ProgressToken,
} from '@modelcontextprotocol/sdk/types.js';
import { OPENAPI_DOCUMENT } from '../schemas/openapi.document.js';
import { describeFailure, errorResult, toolResult } from '../tools/tool.results.js';
import type { ToolCall } from '../tools/tool.types.js';
import type { ToolCatalog } from './tool-catalog.js';

export interface ServerContext {
  catalog: ToolCatalog;
  blinked: BlinkedClient;
  defaultWaitSeconds: number;
  /** Aborted on shutdown: calls still waiting for a video stop waiting. */
  shutdown: AbortSignal;
  /** A line on stderr (stdout is the protocol's on stdio). */
  log(line: string): void;
}

export const SERVER_INSTRUCTIONS =
  'BlinkEd makes narrated videos (MP4 with captions and a thumbnail) from a text prompt, as the user whose token this server holds. ' +
  'create_video queues one and waits a bounded time; a video not finished by then goes on being made, so follow it with get_video. ' +
  'Links in a video are signed and expire: get the video again for fresh ones.';

/** One MCP server session: lists the catalog's tools and runs their calls, failures as tool errors. */
export function createMcpServer(context: ServerContext): Server {
  const server = new Server(
    // The version of the API contract the tools were built from.
    { name: 'blinked', title: 'BlinkEd', version: OPENAPI_DOCUMENT.info.version },
    { capabilities: { tools: { listChanged: false } }, instructions: SERVER_INSTRUCTIONS },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: context.catalog.definitions }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name, arguments: args = {} } = request.params;
    const entry = context.catalog.get(name);
    // An unknown tool is the client's mistake, not the tool's: a protocol error, as the spec says.
    if (!entry) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    const invalid = entry.check(args);
    if (invalid) return errorResult(`Invalid arguments for ${name}: ${invalid}`);
    const call: ToolCall = {
      blinked: context.blinked,
      signal: AbortSignal.any([extra.signal, context.shutdown]),
      defaultWaitSeconds: context.defaultWaitSeconds,
      progress: progressReporter(request.params._meta?.progressToken, extra.sendNotification, context.log),
    };
    try {
      return toolResult(await entry.tool.run(args, call), entry.structured);
    } catch (e) {
      const message = describeFailure(e, context.blinked.baseUrl);
      // The API's refusals are answers for the model; anything else may be ours to look into.
      if (!(e instanceof BlinkedApiError && e.status > 0)) context.log(`${name} failed: ${message}`);
      return errorResult(message);
    }
  });
  return server;
}

/**
 * Progress notifications for a call that asked for them (a progressToken in its _meta).
 * The spec wants the progress value to increase with every notification, so a change of
 * stage alone is not sent; the video's progress never goes back, but a stale read might.
 */
function progressReporter(
  token: ProgressToken | undefined,
  send: (n: {
    method: 'notifications/progress';
    params: { progressToken: ProgressToken; progress: number; total: number; message: string };
  }) => Promise<void>,
  log: (line: string) => void,
): ToolCall['progress'] {
  if (token === undefined) return () => Promise.resolve();
  let sent = -1;
  return async (video: VideoDto) => {
    if (video.progress <= sent) return;
    sent = video.progress;
    const message = `${video.status}: ${video.stage}`;
    // A client gone away must not fail the call it is no longer waiting for.
    await send({ method: 'notifications/progress', params: { progressToken: token, progress: video.progress, total: 100, message } }).catch((e: unknown) =>
      log(`could not send progress: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
}
