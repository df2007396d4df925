import { type Resolver, parseWebhookUrl, vetWebhookUrl, WebhookUrlRefused } from './webhook-url.js';

const STRICT = { allowHttp: false, allowPrivate: false };
const LENIENT = { allowHttp: true, allowPrivate: true };
/** A resolver from a table: no DNS query leaves the machine. */
const table =
  (entries: Record<string, string[]>): Resolver =>
  async (host) => {
    const found = entries[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

async function refusal(url: string, rules = STRICT, resolve?: Resolver): Promise<string> {
  try {
    await vetWebhookUrl(parseWebhookUrl(url, rules), rules, resolve ?? table({}));
  } catch (e) {
    expect(e).toBeInstanceOf(WebhookUrlRefused);
    return (e as Error).message;
  }
  throw new Error(`${url} was accepted`);
}

describe('parseWebhookUrl', () => {
  it('takes https, and http only when allowed', () => {
    expect(parseWebhookUrl('https://hooks.example.com/x?y=1', STRICT).href).toBe('https://hooks.example.com/x?y=1');
    expect(parseWebhookUrl('http://hooks.example.com/x', LENIENT).protocol).toBe('http:');
  });

  it.each([
    ['http://hooks.example.com/x', STRICT, 'url must use https, not http'],
    ['ftp://hooks.example.com/x', LENIENT, 'url must use https or http, not ftp'],
    ['hooks.example.com/x', STRICT, 'url must be an absolute https URL, such as https://example.com/hooks/blinked'],
    ['https://user:pw@hooks.example.com/x', STRICT, 'url must not contain a user name or password; deliveries are signed instead'],
    [`https://hooks.example.com/${'x'.repeat(2000)}`, STRICT, 'url must be at most 2000 characters long'],
  ])('refuses %s', (url, rules, message) => {
    expect(() => parseWebhookUrl(url, rules)).toThrow(message);
  });
});

describe('vetWebhookUrl', () => {
  const dns = table({
    'hooks.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    'internal.example.com': ['10.1.2.3'],
    'mixed.example.com': ['93.184.216.34', '192.168.0.7'],
    'mapped.example.com': ['::ffff:127.0.0.1'],
  });

  it('accepts a host whose every address is public, and keeps those addresses for the delivery', async () => {
    const vetted = await vetWebhookUrl(parseWebhookUrl('https://hooks.example.com/x', STRICT), STRICT, dns);
    expect(vetted.addresses).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ]);
  });

  it.each([
    ['https://127.0.0.1/x', 'url points at 127.0.0.1, which is not a public address (loopback); webhooks may only call public addresses'],
    [
      'https://169.254.169.254/latest/meta-data',
      'url points at 169.254.169.254, which is not a public address (link-local); webhooks may only call public addresses',
    ],
    ['https://[::1]:8443/x', 'url points at ::1, which is not a public address (loopback); webhooks may only call public addresses'],
    ['https://[::ffff:10.0.0.1]/x', 'url points at ::ffff:a00:1, which is not a public address (private); webhooks may only call public addresses'],
    ['https://0.0.0.0/x', 'url points at 0.0.0.0, which is not a public address (unspecified); webhooks may only call public addresses'],
    ['https://2130706433/x', 'url points at 127.0.0.1, which is not a public address (loopback); webhooks may only call public addresses'], // decimal 127.0.0.1
    [
      'https://internal.example.com/x',
      "url's host internal.example.com resolves to 10.1.2.3, which is not a public address (private); webhooks may only call public addresses",
    ],
    [
      'https://mixed.example.com/x',
      "url's host mixed.example.com resolves to 192.168.0.7, which is not a public address (private); webhooks may only call public addresses",
    ],
    [
      'https://mapped.example.com/x',
      "url's host mapped.example.com resolves to ::ffff:127.0.0.1, which is not a public address (loopback); webhooks may only call public addresses",
    ],
    ['https://nowhere.example.com/x', "url's host nowhere.example.com could not be resolved (ENOTFOUND)"],
  ])('refuses %s', async (url, message) => {
    expect(await refusal(url, STRICT, dns)).toBe(message);
  });

  it('lets private addresses through only when WEBHOOK_ALLOW_PRIVATE says so', async () => {
    const vetted = await vetWebhookUrl(parseWebhookUrl('http://internal.example.com/x', LENIENT), LENIENT, dns);
    expect(vetted.addresses).toEqual([{ address: '10.1.2.3', family: 4 }]);
  });

  it('refuses at delivery what DNS changed to a private address since registration', async () => {
    let answer = '93.184.216.34';
    const changing: Resolver = async () => [{ address: answer, family: 4 }];
    const url = parseWebhookUrl('https://rebind.example.com/x', STRICT);
    await expect(vetWebhookUrl(url, STRICT, changing)).resolves.toMatchObject({ addresses: [{ address: '93.184.216.34' }] });
    answer = '169.254.169.254';
    expect(await refusal(url.href, STRICT, changing)).toBe(
      "url's host rebind.example.com resolves to 169.254.169.254, which is not a public address (link-local); webhooks may only call public addresses",
    );
  });
});
