import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { addressKind } from './address-kind.js';

/** Which endpoint URLs are allowed (WEBHOOK_ALLOW_HTTP, WEBHOOK_ALLOW_PRIVATE). */
export interface WebhookUrlRules {
  allowHttp: boolean;
  allowPrivate: boolean;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (the port: tests inject their own). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** A URL that passed the rules, with the addresses it resolved to then: the only ones a delivery may connect to. */
export interface VettedUrl {
  url: URL;
  addresses: ResolvedAddress[];
}

/** A URL the rules refuse; the message is for the endpoint's owner and names the field. */
export class WebhookUrlRefused extends Error {
  override readonly name = 'WebhookUrlRefused';
}

export const MAX_WEBHOOK_URL_LENGTH = 2000;
/** A resolver that does not answer in this time (a dead DNS server) refuses the URL rather than hold a request. */
const DNS_TIMEOUT_MS = 3000;

/** The operating system's resolver (what any other client would use), every address, bounded in time. */
export const systemResolver: Resolver = async (hostname) => {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEOUT' })), DNS_TIMEOUT_MS).unref(),
  );
  const found = await Promise.race([lookup(hostname, { all: true, verbatim: true }), timeout]);
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** The URL's form: absolute, https (or http when allowed), no credentials in it. Throws WebhookUrlRefused. */
export function parseWebhookUrl(raw: string, rules: Pick<WebhookUrlRules, 'allowHttp'>): URL {
  const schemes = rules.allowHttp ? 'https or http' : 'https';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlRefused(`url must be an absolute ${schemes} URL, such as https://example.com/hooks/blinked`);
  }
  if (url.protocol !== 'https:' && !(rules.allowHttp && url.protocol === 'http:')) {
    throw new WebhookUrlRefused(`url must use ${schemes}, not ${url.protocol.replace(/:$/, '')}`);
  }
  if (url.username || url.password) throw new WebhookUrlRefused('url must not contain a user name or password; deliveries are signed instead');
  if (!url.hostname) throw new WebhookUrlRefused('url has no host');
  if (url.href.length > MAX_WEBHOOK_URL_LENGTH) throw new WebhookUrlRefused(`url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters long`);
  return url;
}

/**
 * Resolves the URL's host and refuses it when ANY of its addresses is not public (unless
 * allowPrivate): a host with one public and one private address could be reached at the
 * private one. Run at registration and again before every delivery, since DNS can change;
 * the delivery then connects only to the addresses vetted here (see HttpWebhookTransport),
 * so a record that changes between this check and the connection (DNS rebinding) is never
 * followed. Throws WebhookUrlRefused.
 */
export async function vetWebhookUrl(url: URL, rules: WebhookUrlRules, resolve: Resolver = systemResolver): Promise<VettedUrl> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: ResolvedAddress[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await resolve(host);
    } catch (e) {
      const code = (e as { code?: string }).code ?? (e as Error).message;
      throw new WebhookUrlRefused(`url's host ${host} could not be resolved (${code})`);
    }
    if (!addresses.length) throw new WebhookUrlRefused(`url's host ${host} has no address`);
  }
  if (!rules.allowPrivate) {
    for (const { address } of addresses) {
      const kind = addressKind(address);
      if (kind === 'public') continue;
      const where = address === host ? `url points at ${address}` : `url's host ${host} resolves to ${address}`;
      throw new WebhookUrlRefused(`${where}, which is not a public address (${kind}); webhooks may only call public addresses`);
    }
  }
  return { url, addresses };
}
