import { helmetHeaders } from './security-headers.js';

describe('helmetHeaders (worked out once, set on every answer)', () => {
  const headers = new Map(helmetHeaders());

  it("has helmet's default policy without upgrade-insecure-requests, which is added only over TLS", () => {
    const csp = headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
  });

  it('lets other origins embed our media, and sends no HSTS over plain HTTP', () => {
    expect(headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(headers.has('strict-transport-security')).toBe(false);
  });

  it("keeps helmet's other headers", () => {
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.has('x-powered-by')).toBe(false);
  });
});
