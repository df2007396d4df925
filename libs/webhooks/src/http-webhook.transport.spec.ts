import type { IncomingMessage } from 'node:http';
import { listenLocal, type LocalServer, readBody } from '@test/fakes/fake-http.js';
import { HttpWebhookTransport } from './http-webhook.transport.js';
import { parseWebhookUrl, type Resolver, vetWebhookUrl } from './webhook-url.js';

// A receiver on 127.0.0.1 that answers by path; every URL here is vetted with private
// addresses allowed (the receiver is on loopback), and no request leaves the machine.
const RULES = { allowHttp: true, allowPrivate: true };
const LOOPBACK = [{ address: '127.0.0.1', family: 4 as const }];
let server: LocalServer;
const received: { path: string; headers: IncomingMessage['headers']; body: string }[] = [];
const pendingHang: (() => void)[] = [];

beforeAll(async () => {
  server = await listenLocal((req, res) => {
    void readBody(req).then((body) => {
      received.push({ path: req.url!, headers: req.headers, body });
      switch (req.url) {
        case '/ok':
          return void res.writeHead(204).end();
        case '/fail':
          return void res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
        case '/redirect':
          return void res.writeHead(302, { location: `${server.origin}/ok` }).end();
        case '/huge': {
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          const chunk = Buffer.alloc(64 * 1024, 'x');
          const pump = () => {
            while (!res.destroyed && res.write(chunk));
            if (!res.destroyed) res.once('drain', pump);
          };
          return pump();
        }
        default: // '/hang'
          pendingHang.push(() => res.destroy());
      }
    });
  });
});

afterAll(async () => {
  pendingHang.forEach((release) => release());
  await server?.close();
});

const transport = new HttpWebhookTransport({ timeoutMs: 500 });
const post = (path: string, body = '{"type":"webhook.test"}', host = '127.0.0.1') =>
  transport.post({
    target: { url: parseWebhookUrl(`http://${host}:${server.port}${path}`, RULES), addresses: LOOPBACK },
    headers: { 'webhook-id': 'evt_1' },
    body,
  });

describe('HttpWebhookTransport', () => {
  it('posts the body as JSON with the given headers and reports the status', async () => {
    const answer = await post('/ok', '{"a":"é"}');
    expect(answer).toMatchObject({ statusCode: 204, error: null });
    const last = received.at(-1)!;
    expect(last.body).toBe('{"a":"é"}');
    expect(last.headers).toMatchObject({ 'content-type': 'application/json', 'content-length': '10', 'webhook-id': 'evt_1' });
    expect(last.headers['user-agent']).toMatch(/^BlinkEd-Webhooks\//);
  });

  it('reports any other status as it came, and follows no redirect', async () => {
    expect(await post('/fail')).toMatchObject({ statusCode: 500, error: null });
    const before = received.length;
    expect(await post('/redirect')).toMatchObject({ statusCode: 302, error: null });
    expect(received.length).toBe(before + 1);
  });

  it('gives up on a receiver that does not answer within the deadline', async () => {
    const answer = await post('/hang');
    expect(answer).toMatchObject({ statusCode: null, error: 'no answer within 0.5 s' });
    expect(answer.durationMs).toBeGreaterThanOrEqual(450);
    expect(answer.durationMs).toBeLessThan(3000);
  });

  it('stops reading an endless answer after the cap', async () => {
    const answer = await post('/huge');
    expect(answer).toMatchObject({ statusCode: 200, error: null });
    expect(answer.durationMs).toBeLessThan(450);
  });

  it('says so when nothing listens', async () => {
    const closed = await listenLocal(() => undefined);
    const port = closed.port;
    await closed.close();
    const answer = await transport.post({
      target: { url: parseWebhookUrl(`http://127.0.0.1:${port}/`, RULES), addresses: LOOPBACK },
      headers: {},
      body: '{}',
    });
    expect(answer).toMatchObject({ statusCode: null, error: 'connection refused' });
  });

  it('connects to the vetted addresses, never resolving the host again (a DNS rebind after the check is not followed)', async () => {
    // The first answer is the vetted one; any later lookup would answer another loopback
    // address, where nothing listens. The host name itself resolves nowhere.
    let lookups = 0;
    const rebinding: Resolver = async () => [{ address: lookups++ === 0 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    const url = parseWebhookUrl(`http://receiver.invalid:${server.port}/ok`, RULES);
    const target = await vetWebhookUrl(url, RULES, rebinding);
    const answer = await new HttpWebhookTransport({ timeoutMs: 2000 }).post({ target, headers: {}, body: '{}' });
    expect(answer).toMatchObject({ statusCode: 204, error: null });
    expect(lookups).toBe(1);
    expect(received.at(-1)!.headers.host).toBe(`receiver.invalid:${server.port}`);
  });
});
