import type { McpConfig } from '@app/config';
import { serveHttp } from './http.transport.js';
import type { RunningTransport, ServerFactory } from './running-transport.js';
import { serveStdio } from './stdio.transport.js';

/** Streamable HTTP when MCP_HTTP_PORT is set, else stdio (what desktop clients start). */
export function serve(http: McpConfig['http'], newServer: ServerFactory, log: (line: string) => void): Promise<RunningTransport> {
  return http ? serveHttp(newServer, http, log) : serveStdio(newServer);
}
