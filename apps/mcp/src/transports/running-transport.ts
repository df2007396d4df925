import type { Server } from '@modelcontextprotocol/sdk/server/index.js';

/** Builds one MCP server session; stdio has one, streamable HTTP one per request. */
export type ServerFactory = () => Server;

/** A transport serving sessions until closed, or until its client goes (stdin ends). */
export interface RunningTransport {
  /** Resolves when the client ended it (stdio: stdin closed); HTTP serves until stopped. */
  readonly ended?: Promise<void>;
  close(): Promise<void>;
}
