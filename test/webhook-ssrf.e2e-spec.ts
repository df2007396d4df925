import { type ApiHarness, startApi } from './support/api-harness.js';
import { registerUser } from './support/pipeline-harness.js';

// Server-side request forgery: with the deployment's defaults (https only, public
// addresses only), endpoint URLs that point into our own network are refused at
// registration, whatever way the address is written. The api alone: no worker, and no
// request is ever sent to any of these addresses (only `localhost` and an .invalid name
// are looked up, by the system resolver).
let h: ApiHarness;
let token: string;

beforeAll(async () => {
  h = await startApi();
  token = await registerUser(h, 'mallory');
});

afterAll(async () => {
  await h?.close();
});

const create = (url: string) => h.http.request('POST', '/api/v1/webhooks', { token, body: { url } });
const NOT_PUBLIC = (address: string, kind: string) =>
  `url points at ${address}, which is not a public address (${kind}); webhooks may only call public addresses`;

describe('POST /webhooks with the default URL rules', () => {
  it.each([
    ['https://127.0.0.1/hook', NOT_PUBLIC('127.0.0.1', 'loopback')],
    ['https://169.254.169.254/latest/meta-data/', NOT_PUBLIC('169.254.169.254', 'link-local')],
    ['https://[::1]:8443/hook', NOT_PUBLIC('::1', 'loopback')],
    ['https://[::ffff:127.0.0.1]/hook', NOT_PUBLIC('::ffff:7f00:1', 'loopback')],
    ['https://0.0.0.0/hook', NOT_PUBLIC('0.0.0.0', 'unspecified')],
    ['https://10.1.2.3/hook', NOT_PUBLIC('10.1.2.3', 'private')],
    ['https://192.168.0.10/hook', NOT_PUBLIC('192.168.0.10', 'private')],
    ['https://100.64.0.1/hook', NOT_PUBLIC('100.64.0.1', 'shared (carrier-grade NAT)')],
    ['https://[fd00::1]/hook', NOT_PUBLIC('fd00::1', 'unique local')],
    ['https://[fe80::1]/hook', NOT_PUBLIC('fe80::1', 'link-local')],
    // Other spellings of 127.0.0.1 that URL parsing turns back into it.
    ['https://2130706433/hook', NOT_PUBLIC('127.0.0.1', 'loopback')],
    ['https://0x7f.0.0.1/hook', NOT_PUBLIC('127.0.0.1', 'loopback')],
  ])('refuses %s', async (url, message) => {
    const res = await create(url);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(message);
  });

  it('refuses a host name that resolves to a loopback address', async () => {
    const res = await create('https://localhost:8443/hook');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^url's host localhost resolves to (127\.0\.0\.1|::1), which is not a public address \(loopback\)/);
  });

  it('refuses a host name that does not resolve', async () => {
    const res = await create('https://nowhere.invalid/hook');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^url's host nowhere\.invalid could not be resolved/);
  });

  it('refuses http, even to a public address', async () => {
    const res = await create('http://93.184.216.34/hook');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('url must use https, not http');
  });

  it('stored none of them', async () => {
    expect(await h.db.query('SELECT 1 FROM webhook_endpoints')).toEqual([]);
  });

  it('documents the routes with stable operation ids', async () => {
    const doc = (await h.http.get('/docs-json')).body;
    const ids = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>)
      .flatMap((item) => Object.values(item).map((op) => op.operationId))
      .filter((id) => id.startsWith('webhooks'));
    expect(ids.sort()).toEqual(['webhooksCreate', 'webhooksDeliveries', 'webhooksList', 'webhooksRemove', 'webhooksTest']);
  });
});
