import { classifyHttpFailure, classifyRequestError, parseGoogleDuration, parseRetryAfter } from './http-failure.js';
import { ProviderError } from './provider.error.js';
import { redactSecrets } from './redact.js';

describe('classifyHttpFailure', () => {
  it('reads retry delays from Google RetryInfo, Retry-After seconds and Retry-After dates', () => {
    const google = {
      error: { code: 429, status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }] },
    };
    expect(classifyHttpFailure('Google Text-to-Speech', 429, JSON.stringify(google))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1500 });
    expect(classifyHttpFailure('X', 429, '', '3')).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3000 });
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseGoogleDuration('7s')).toBe(7000);
    expect(parseGoogleDuration(7)).toBeUndefined();
  });

  it('treats RESOURCE_EXHAUSTED as a rate limit whatever the status, and a spent balance as permanent', () => {
    expect(classifyHttpFailure('X', 403, { error: { status: 'RESOURCE_EXHAUSTED' } }).kind).toBe('rate_limited');
    expect(classifyHttpFailure('X', 429, { error: { code: 'insufficient_quota', message: 'No credit.' } }).kind).toBe('permanent');
  });

  it('classifies by status, with the server text on one line and without a trailing period', () => {
    expect(classifyHttpFailure('X', undefined, 'ECONNREFUSED')).toMatchObject({
      kind: 'transient',
      message: 'X: could not reach the server: ECONNREFUSED',
    });
    expect(classifyHttpFailure('X', 504, '<html>\n<body>Gateway Timeout</body>\n</html>')).toMatchObject({
      kind: 'transient',
      message: 'X: the server failed or is unavailable (HTTP 504): <html> <body>Gateway Timeout</body> </html>',
    });
    expect(classifyHttpFailure('X', 408, '').kind).toBe('transient');
    expect(classifyHttpFailure('X', 422, { error: 'bad field.' }).message).toBe('X: the request was rejected (HTTP 422): bad field');
    expect(classifyHttpFailure('X', 401, {}, null, { keyVariable: 'X_KEY' }).message).toBe('X: the API key was rejected (HTTP 401); check X_KEY');
  });

  it('redacts secrets from the message and the cause', () => {
    const key = 'secret-key-0123456789';
    const e = classifyHttpFailure('X', 400, `bad key ${key}`, null, { secrets: [key], cause: new Error(`sent ${key}`) });
    expect(e.message).toBe('X: the request was rejected (HTTP 400): bad key [redacted]');
    expect(String((e.cause as Error).message)).toBe('sent [redacted]');
    // Short values are not treated as secrets: they would blank ordinary words.
    expect(redactSecrets('a b c', ['a', undefined])).toBe('a b c');
  });
});

describe('classifyRequestError', () => {
  it('separates cancellation, timeouts and network failures', () => {
    const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    expect(classifyRequestError('X', abort, { cancelled: true })).toMatchObject({ kind: 'permanent', message: 'X: the request was cancelled' });
    expect(classifyRequestError('X', abort, { timeoutMs: 500 })).toMatchObject({ kind: 'transient', message: 'X: no reply within 500 ms (timed out)' });
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'ECONNRESET' }) });
    const e = classifyRequestError('X', reset);
    expect(e).toMatchObject({ kind: 'transient', message: 'X: could not reach the server (ECONNRESET)' });
    expect((e.cause as { code?: string }).code).toBe('ECONNRESET');
    const already = new ProviderError('X', 'permanent', 'blocked');
    expect(classifyRequestError('X', already)).toBe(already);
  });
});
