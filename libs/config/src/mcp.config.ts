import { ConfigError } from './config.error.js';
import { type Env, int, str, url } from './env.parsers.js';

/** The MCP server (apps/mcp): a client of a BlinkEd api, not a Nest app, so no registerAs namespace. */
export interface McpConfig {
  /** Where the api answers, without the /api/v1 of the document's paths (trailing slashes removed). */
  apiUrl: string;
  /** A user's access token: every tool call acts as that user. */
  token: string;
  /** Streamable HTTP on this port instead of stdio; 0 picks a free port (printed on stderr). */
  http?: { port: number; host: string };
  /**
   * How long create_video waits for the video when the call does not say. Below the 60 s
   * request timeout common MCP clients (the SDK's own included) start with, so the call
   * answers with the video's id before a client gives up on it.
   */
  waitSeconds: number;
}

/** The longest create_video may wait (its waitSeconds argument allows no more). */
export const MCP_MAX_WAIT_SECONDS = 600;

function required(env: Env, name: string, hint: string): string {
  const value = str(env, name);
  if (value === undefined) throw new ConfigError(`${name} is required: ${hint}`);
  return value;
}

export function parseMcpConfig(env: Env): McpConfig {
  required(env, 'BLINKED_API_URL', 'the address of a BlinkEd api, e.g. http://127.0.0.1:8000');
  const apiUrl = url(env, 'BLINKED_API_URL', '', ['http:', 'https:'])
    .href.replace(/[?#].*$/, '')
    .replace(/\/+$/, '');
  const token = required(env, 'BLINKED_TOKEN', "a user's access token (the accessToken that POST /api/v1/auth/login answers)");
  const port = str(env, 'MCP_HTTP_PORT') === undefined ? undefined : int(env, 'MCP_HTTP_PORT', 0, 0, 65535);
  const host = str(env, 'MCP_HTTP_HOST', '127.0.0.1')!;
  return {
    apiUrl,
    token,
    http: port === undefined ? undefined : { port, host },
    waitSeconds: int(env, 'MCP_WAIT_SECONDS', 45, 0, MCP_MAX_WAIT_SECONDS),
  };
}
