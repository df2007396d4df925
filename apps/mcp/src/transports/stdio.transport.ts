import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { RunningTransport, ServerFactory } from './running-transport.js';

/**
 * MCP over this process's stdin and stdout, as desktop clients start local servers. Stdout
 * carries nothing but protocol messages: everything else goes to stderr. The SDK's
 * transport does not notice stdin ending, which is how a client says it is done, so that
 * is watched here.
 */
export async function serveStdio(newServer: ServerFactory): Promise<RunningTransport> {
  const server = newServer();
  await server.connect(new StdioServerTransport());
  const ended = new Promise<void>((resolve) => process.stdin.once('end', resolve));
  return { ended, close: () => server.close() };
}
