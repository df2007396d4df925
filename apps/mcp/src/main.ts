// `npm run mcp`: a Model Context Protocol server over BlinkEd's API, as one user
// (BLINKED_API_URL, BLINKED_TOKEN): tools create_video, get_video, list_videos and
// delete_video, whose JSON Schemas come from openapi.json. Speaks stdio, or streamable
// HTTP when MCP_HTTP_PORT is set. Not a Nest app: a plain client of the api through the SDK.
import { ConfigError, loadDotEnv, type McpConfig, parseMcpConfig } from '@app/config';
import { createBlinkedClient } from '@blinked/sdk';
import { OPENAPI_DOCUMENT } from './schemas/openapi.document.js';
import { buildToolSchemas } from './schemas/tool.schemas.js';
import { createMcpServer } from './server/mcp.server.js';
import { ToolCatalog } from './server/tool-catalog.js';
import { VIDEO_TOOLS } from './tools/video-tools.js';
import { serve } from './transports/serve.js';

// Stdout is the protocol's on stdio: every line of our own goes to stderr.
const log = (line: string) => process.stderr.write(`blinked mcp: ${line}\n`);

/** A bad setting is one line and exit 2 (usage), so a client's log says what to fix. */
function configOrExit(): McpConfig {
  loadDotEnv();
  try {
    return parseMcpConfig(process.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    log(`configuration error: ${e.message}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const catalog = new ToolCatalog(VIDEO_TOOLS, buildToolSchemas(OPENAPI_DOCUMENT, config.waitSeconds));
  const blinked = createBlinkedClient({ baseUrl: config.apiUrl, accessToken: config.token });
  const shutdown = new AbortController();
  const newServer = () => createMcpServer({ catalog, blinked, defaultWaitSeconds: config.waitSeconds, shutdown: shutdown.signal, log });
  const running = await serve(config.http, newServer, log);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // Calls still waiting for a video stop waiting; their clients are going or gone.
    shutdown.abort();
    await running.close();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop());
  void running.ended?.then(stop);
}

main().catch((e: unknown) => {
  log(`failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
