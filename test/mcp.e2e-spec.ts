import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { buildToolSchemas } from '../apps/mcp/src/schemas/tool.schemas.js';
import { type McpHttpServer, type McpSession, runMcpUntilExit, startMcpHttp, startMcpStdio } from './support/mcp-server.js';
import { type PipelineHarness, registerUser, startPipeline } from './support/pipeline-harness.js';

const PROMPT =
  'Volcanoes form where molten rock reaches the surface. Pressure from gas in the magma drives eruptions. ' +
  'Lava cools into new rock, and over time the layers build a mountain.';

let h: PipelineHarness;
let token: string;
let env: Record<string, string>;
let stdio: McpSession;
let mcp: Client;
/** The video create_video waited for to completion; later tests read and list it. */
let completed: Record<string, any>;

async function call(name: string, args: Record<string, unknown>, client = mcp) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

const text = (result: CallToolResult) => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

beforeAll(async () => {
  h = await startPipeline();
  token = await registerUser(h.api, 'mcp-ada');
  env = { BLINKED_API_URL: h.api.http.baseUrl, BLINKED_TOKEN: token };
  stdio = await startMcpStdio(env);
  mcp = stdio.client;
}, 60_000);

afterAll(async () => {
  await stdio?.close();
  await h?.close();
});

describe('MCP server over stdio', () => {
  it('lists the four tools with the schemas of the committed OpenAPI document', async () => {
    const { tools } = await mcp.listTools();
    const document = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));
    const expected = buildToolSchemas(document, 45);
    expect(tools.map((t) => t.name)).toEqual(['create_video', 'get_video', 'list_videos', 'delete_video']);
    for (const tool of tools) {
      const schemas = expected[tool.name as keyof typeof expected];
      expect([tool.name, tool.inputSchema]).toEqual([tool.name, schemas.inputSchema]);
      expect([tool.name, tool.outputSchema]).toEqual([tool.name, schemas.outputSchema]);
    }
    expect(tools.find((t) => t.name === 'delete_video')!.annotations).toMatchObject({ destructiveHint: true });
  });

  it('create_video waits for the video, reporting progress, and answers with it completed, its links ready to use', async () => {
    const progress: { progress: number; message?: string }[] = [];
    const result = (await mcp.callTool({ name: 'create_video', arguments: { prompt: PROMPT, slideCount: 3, waitSeconds: 120 } }, undefined, {
      onprogress: (p) => progress.push({ progress: p.progress, message: p.message }),
      timeout: 150_000,
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    completed = result.structuredContent!;
    expect(completed).toMatchObject({ status: 'completed', progress: 100, slideCount: 3 });
    expect(result.content[0]).toEqual({ type: 'text', text: expect.stringContaining(`Video ${completed.id} is ready`) });
    expect(JSON.parse(text({ content: [result.content[1]!] }))).toEqual(completed);
    // Progress went up at every notification, from the submitted video to the finished one.
    expect(progress[0]).toEqual({ progress: 0, message: expect.stringMatching(/^queued: /) });
    expect(progress.length).toBeGreaterThan(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.progress).toBeGreaterThan(progress[i - 1]!.progress);
    // The links are absolute and signed: they play without a bearer token.
    expect(completed.links.file).toMatch(new RegExp(`^${h.api.http.baseUrl}/api/v1/videos/${completed.id}/file\\?`));
    const mp4 = await fetch(completed.links.file, { headers: { range: 'bytes=0-99' } });
    expect([mp4.status, mp4.headers.get('content-type')]).toEqual([206, 'video/mp4']);
    await mp4.body?.cancel();
  }, 150_000);

  it('create_video answers at once with waitSeconds 0, saying the video is not finished; an Idempotency-Key repeat is the same video', async () => {
    const args = { prompt: `${PROMPT} Some volcanoes sleep for centuries.`, slideCount: 3, waitSeconds: 0, idempotencyKey: 'mcp-e2e-once' };
    const first = await call('create_video', args);
    expect(first.isError).toBeFalsy();
    expect(first.structuredContent).toMatchObject({ status: 'queued', progress: 0 });
    expect(text(first)).toContain('is not finished after 0 s of waiting');
    expect(text(first)).toContain('call get_video');
    const again = await call('create_video', args);
    expect(again.structuredContent!.id).toBe(first.structuredContent!.id);
    // Gone again, so the worker is free for the rest of the file.
    expect((await call('delete_video', { id: first.structuredContent!.id })).isError).toBeFalsy();
  });

  it('get_video and list_videos answer with the resources, as text and structured content', async () => {
    const got = await call('get_video', { id: completed.id });
    expect(got.structuredContent).toMatchObject({ id: completed.id, status: 'completed', title: completed.title });
    expect(text(got)).toContain(`Video ${completed.id} "${completed.title}": completed, 100%`);
    const list = await call('list_videos', { status: 'completed', limit: 5 });
    expect(list.structuredContent).toMatchObject({ total: 1, page: 1, limit: 5, items: [{ id: completed.id, status: 'completed' }] });
    expect(text(list)).toContain('Videos 1 to 1 of 1, newest first.');
  });

  it('list_videos pages by cursor: the summary names the next cursor, and a cursor page is numbered too', async () => {
    const newer = (await call('create_video', { prompt: PROMPT, slideCount: 3, waitSeconds: 0 })).structuredContent!;
    try {
      const first = await call('list_videos', { limit: 1 });
      const nextCursor = first.structuredContent!.nextCursor as string;
      expect(first.structuredContent).toMatchObject({ total: 2, page: 1, items: [{ id: newer.id }], nextCursor: expect.any(String) });
      expect(text(first)).toContain(`Videos 1 to 1 of 2, newest first. More follow: call again with cursor "${nextCursor}".`);
      const rest = await call('list_videos', { limit: 1, cursor: nextCursor });
      expect(rest.structuredContent).toMatchObject({ total: 2, page: 2, nextCursor: null, items: [{ id: completed.id }] });
      expect(text(rest)).toContain('Videos 2 to 2 of 2, newest first.');
      const refused = await call('list_videos', { limit: 1, cursor: nextCursor, status: 'completed' });
      expect(refused.isError).toBe(true);
      expect(text(refused)).toMatch(/400 Bad Request: cursor was made for no status filter/);
    } finally {
      await call('delete_video', { id: newer.id });
    }
  });

  it('delete_video deletes; get_video then answers with the API’s 404 as a tool error, and the server goes on', async () => {
    const video = (await call('create_video', { prompt: PROMPT, slideCount: 3, waitSeconds: 0 })).structuredContent!;
    const deleted = await call('delete_video', { id: video.id });
    expect(deleted).toEqual({ content: [{ type: 'text', text: `Video ${video.id} is deleted.` }] });
    const gone = await call('get_video', { id: video.id });
    expect(gone).toEqual({ isError: true, content: [{ type: 'text', text: 'The BlinkEd API answered 404 Not Found: Video not found' }] });
    expect((await call('get_video', { id: completed.id })).isError).toBeFalsy();
  });

  it('passes the API’s refusal back as a tool error: a prompt the schema allows but the API does not (blank once trimmed)', async () => {
    const result = await call('create_video', { prompt: '     ', slideCount: 3 });
    expect(result).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'The BlinkEd API answered 400 Bad Request: prompt must be 1 to 4000 characters long after trimming' }],
    });
  });

  it('refuses a fractional slideCount by the schema, which says integer as the API means', async () => {
    expect(text(await call('create_video', { prompt: PROMPT, slideCount: 4.5 }))).toBe('Invalid arguments for create_video: slideCount must be integer');
  });

  it('refuses arguments outside the schema before asking the API, naming the field', async () => {
    expect(await call('create_video', { prompt: PROMPT, slideCount: 99 })).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'Invalid arguments for create_video: slideCount must be <= 20' }],
    });
    expect(text(await call('get_video', { id: 'not-a-uuid' }))).toBe('Invalid arguments for get_video: id must match format "uuid"');
    expect(text(await call('create_video', {}))).toBe("Invalid arguments for create_video: the arguments must have required property 'prompt'");
  });

  it('answers an unknown tool with a protocol error', async () => {
    await expect(call('render_everything', {})).rejects.toThrow('Unknown tool: render_everything');
  });

  it('with a bad token, every call is a tool error carrying the API’s 401 message', async () => {
    const other = await startMcpStdio({ ...env, BLINKED_TOKEN: 'not-a-token' });
    try {
      expect(await call('list_videos', {}, other.client)).toEqual({
        isError: true,
        content: [{ type: 'text', text: 'The BlinkEd API answered 401 Unauthorized: Invalid access token' }],
      });
    } finally {
      await other.close();
    }
  });

  it('stops at start with one line on stderr and exit code 2 when a setting is missing or bad, writing nothing to stdout', async () => {
    const missing = await runMcpUntilExit({ BLINKED_API_URL: h.api.http.baseUrl });
    expect(missing).toEqual({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/^blinked mcp: configuration error: BLINKED_TOKEN is required: [^\n]+\n$/),
    });
    const badPort = await runMcpUntilExit({ ...env, MCP_HTTP_PORT: '99999' });
    expect(badPort).toEqual({ code: 2, stdout: '', stderr: 'blinked mcp: configuration error: MCP_HTTP_PORT must be between 0 and 65535, got 99999\n' });
  });
});

describe('MCP server over streamable HTTP', () => {
  let server: McpHttpServer;

  beforeAll(async () => {
    server = await startMcpHttp(env);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('serves the same tools at /mcp to the SDK’s streamable HTTP client', async () => {
    expect(server.url.pathname).toBe('/mcp');
    const client = await server.connect();
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['create_video', 'get_video', 'list_videos', 'delete_video']);
    const got = await call('get_video', { id: completed.id }, client);
    expect(got.structuredContent).toMatchObject({ id: completed.id, status: 'completed' });
  });

  it('refuses a Host header that is not its own loopback name (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(server.url, { method: 'POST', headers: { host: 'attacker.example', 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.once('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });
});
