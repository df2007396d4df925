import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CapturedOutput } from './captured-output.js';

export const MCP_MAIN = resolve('dist/apps/mcp/src/main.js');

export interface McpSession {
  client: Client;
  /** What the server printed on stderr (printed by close() if a test failed). */
  output: CapturedOutput;
  close(): Promise<void>;
}

/** The environment the server gets: only what is given (and PATH), never the test's own settings. */
function serverEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', ...env };
}

const newClient = () => new Client({ name: 'blinked-e2e', version: '1.0.0' });

/**
 * The built MCP server (`npm run build` first) started over stdio by the MCP SDK's own
 * client, as a desktop client starts it: in a directory of its own (no .env of the
 * checkout), with only `env`.
 */
export async function startMcpStdio(env: Record<string, string>): Promise<McpSession> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [MCP_MAIN], env: serverEnv(env), cwd: tmpdir(), stderr: 'pipe' });
  const output = new CapturedOutput('mcp server (stdio) stderr');
  (transport.stderr as Readable).on('data', (chunk: Buffer) => output.write(chunk));
  const client = newClient();
  await client.connect(transport);
  return {
    client,
    output,
    close: async () => {
      await client.close();
      output.flushIfFailed();
    },
  };
}

export interface McpHttpServer {
  child: ChildProcess;
  /** http://127.0.0.1:<port>/mcp, as the server printed it. */
  url: URL;
  output: CapturedOutput;
  connect(): Promise<Client>;
  stop(): Promise<void>;
}

/** The built MCP server on streamable HTTP, on a free port it picks itself (MCP_HTTP_PORT=0). */
export async function startMcpHttp(env: Record<string, string>): Promise<McpHttpServer> {
  const child = spawn(process.execPath, [MCP_MAIN], { env: serverEnv({ MCP_HTTP_PORT: '0', ...env }), cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
  const output = new CapturedOutput(`mcp server (http) ${child.pid} output`);
  const url = await new Promise<URL>((resolveUrl, reject) => {
    const onData = (chunk: Buffer) => {
      output.write(chunk);
      const m = /blinked mcp: listening on (http:\/\/\S+)/.exec(output.toString());
      if (m) resolveUrl(new URL(m[1]!));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`mcp server exited with ${code} before listening:\n${output.toString()}`)));
    // A bound on a failure, not a wait for success: a server that never says where it listens
    // is stopped, or it would outlive the test file and keep Jest from exiting.
    setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mcp server did not say where it listens within 30 s:\n${output.toString()}`));
    }, 30_000).unref();
  });
  const clients: Client[] = [];
  return {
    child,
    url,
    output,
    connect: async () => {
      const client = newClient();
      await client.connect(new StreamableHTTPClientTransport(url));
      clients.push(client);
      return client;
    },
    stop: async () => {
      await Promise.all(clients.map((c) => c.close()));
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      output.flushIfFailed();
    },
  };
}

/** Runs the server with `env` until it exits by itself (a configuration error), with what it printed. */
export async function runMcpUntilExit(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [MCP_MAIN], { env: serverEnv(env), cwd: tmpdir(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // 'close', not 'exit': by then everything it printed has been read.
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}
