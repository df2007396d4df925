import { parseMcpConfig } from './mcp.config.js';
import { oneLineError } from '@test/support/config-error.js';

const BASE = { BLINKED_API_URL: 'http://127.0.0.1:8000/', BLINKED_TOKEN: 'eyJ.token' };

describe('parseMcpConfig', () => {
  it('speaks stdio unless MCP_HTTP_PORT is set, and waits 45 s for a video by default', () => {
    expect(parseMcpConfig(BASE)).toEqual({ apiUrl: 'http://127.0.0.1:8000', token: 'eyJ.token', http: undefined, waitSeconds: 45 });
  });

  it('keeps a path prefix of the api (behind a proxy), without the trailing slash', () => {
    expect(parseMcpConfig({ ...BASE, BLINKED_API_URL: 'https://example.com/blinked//' }).apiUrl).toBe('https://example.com/blinked');
  });

  it('serves streamable HTTP on MCP_HTTP_PORT, on 127.0.0.1 unless MCP_HTTP_HOST says otherwise', () => {
    expect(parseMcpConfig({ ...BASE, MCP_HTTP_PORT: '3333' }).http).toEqual({ port: 3333, host: '127.0.0.1' });
    expect(parseMcpConfig({ ...BASE, MCP_HTTP_PORT: '0', MCP_HTTP_HOST: '0.0.0.0' }).http).toEqual({ port: 0, host: '0.0.0.0' });
  });

  it('refuses a missing api address or token, naming what to set', () => {
    expect(oneLineError(() => parseMcpConfig({ BLINKED_TOKEN: 't' }))).toBe(
      'BLINKED_API_URL is required: the address of a BlinkEd api, e.g. http://127.0.0.1:8000',
    );
    expect(oneLineError(() => parseMcpConfig({ BLINKED_API_URL: 'http://127.0.0.1:8000', BLINKED_TOKEN: '  ' }))).toMatch(/^BLINKED_TOKEN is required: /);
  });

  it('refuses bad values in one line naming the variable', () => {
    expect(oneLineError(() => parseMcpConfig({ ...BASE, BLINKED_API_URL: 'ftp://x' }))).toBe('BLINKED_API_URL must use http: or https:, got "ftp:"');
    expect(oneLineError(() => parseMcpConfig({ ...BASE, MCP_HTTP_PORT: 'http' }))).toBe('MCP_HTTP_PORT must be a whole number, got "http"');
    expect(oneLineError(() => parseMcpConfig({ ...BASE, MCP_HTTP_PORT: '70000' }))).toBe('MCP_HTTP_PORT must be between 0 and 65535, got 70000');
    expect(oneLineError(() => parseMcpConfig({ ...BASE, MCP_WAIT_SECONDS: '601' }))).toBe('MCP_WAIT_SECONDS must be between 0 and 600, got 601');
  });
});
