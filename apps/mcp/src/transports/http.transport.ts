import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isLoopback, refusal } from './http-origin.guard.js';
import type { RunningTransport, ServerFactory } from './running-transport.js';

export const MCP_PATH = '/mcp';

function jsonRpcError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/**
 * Streamable HTTP on http://host:port/mcp, stateless: every POST gets its own server session
 * and transport, closed with the response. No tool needs the server to reach the client
 * between calls (progress travels on the call's own response stream), so sessions would
 * only add state to lose on a restart; GET (a standalone event stream) and DELETE (ending a
 * session) answer 405, which the spec allows and clients expect.
 */
export async function serveHttp(newServer: ServerFactory, where: { port: number; host: string }, log: (line: string) => void): Promise<RunningTransport> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== MCP_PATH) return jsonRpcError(res, 404, `Not found: the MCP endpoint is ${MCP_PATH}`);
    const refused = refusal(req, where.host);
    if (refused) return jsonRpcError(res, 403, refused);
    if (req.method !== 'POST') return jsonRpcError(res, 405, 'Method not allowed: this server is stateless, POST requests only', { allow: 'POST' });
    const server = newServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.once('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  };
  const http = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log(`mcp request failed: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) jsonRpcError(res, 500, 'Internal server error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(where.port, where.host, () => resolve());
  });
  const { address, port } = http.address() as AddressInfo;
  const shown = address.includes(':') ? `[${address}]` : address;
  log(`listening on http://${shown}:${port}${MCP_PATH}`);
  if (!isLoopback(where.host)) log(`MCP_HTTP_HOST=${where.host} is not a loopback address: anyone who reaches it acts as BLINKED_TOKEN's user`);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
