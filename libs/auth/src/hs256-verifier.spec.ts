import { createHmac, createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { hs256JwtVerifier, verifyHs256 } from './hs256-verifier.js';

const SECRET = 's'.repeat(40);
const KEY = createSecretKey(Buffer.from(SECRET));
const NOW = 1_800_000_000_000;
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const signRaw = (header: string, payload: string, secret = SECRET) =>
  `${header}.${payload}.${createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')}`;

/** jsonwebtoken's verdict, the reference: 'ok', 'expired' or 'invalid'. */
function reference(token: string): string {
  try {
    jwt.verify(token, SECRET, { algorithms: ['HS256'], clockTimestamp: Math.floor(NOW / 1000) });
    return 'ok';
  } catch (e) {
    return (e as Error).name === 'TokenExpiredError' ? 'expired' : 'invalid';
  }
}
function ours(token: string): string {
  try {
    verifyHs256(token, KEY, NOW);
    return 'ok';
  } catch (e) {
    return (e as Error).name === 'TokenExpiredError' ? 'expired' : 'invalid';
  }
}

const now = Math.floor(NOW / 1000);
const valid = jwt.sign({ sub: 'u1', role: 'user', iat: now - 10 + 0.123, exp: now + 900 }, SECRET, { algorithm: 'HS256' });
const [h, p, s] = valid.split('.') as [string, string, string];

const cases: [string, string][] = [
  ['a valid token', valid],
  ['expired a second ago', jwt.sign({ sub: 'u1', exp: now - 1 }, SECRET)],
  ['expiring this very second', jwt.sign({ sub: 'u1', exp: now }, SECRET)],
  ['not yet active', jwt.sign({ sub: 'u1', nbf: now + 60, exp: now + 900 }, SECRET)],
  ['active from now', jwt.sign({ sub: 'u1', nbf: now, exp: now + 900 }, SECRET)],
  ['without exp', jwt.sign({ sub: 'u1' }, SECRET, { noTimestamp: true })],
  ['signed with another key', jwt.sign({ sub: 'u1', exp: now + 900 }, 'o'.repeat(40))],
  ['HS512', jwt.sign({ sub: 'u1', exp: now + 900 }, SECRET, { algorithm: 'HS512' })],
  ['HS384', jwt.sign({ sub: 'u1', exp: now + 900 }, SECRET, { algorithm: 'HS384' })],
  ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`],
  ['alg none with a signature', `${b64({ alg: 'none' })}.${p}.${s}`],
  ['a tampered payload', `${h}.${b64({ sub: 'admin', role: 'admin', exp: now + 900 })}.${s}`],
  ['a truncated signature', `${h}.${p}.${s.slice(0, -2)}`],
  ['a signature with a changed last character', `${h}.${p}.${s.slice(0, -1)}${s.endsWith('A') ? 'B' : 'A'}`],
  ['two parts', `${h}.${p}`],
  ['four parts', `${valid}.x`],
  ['empty', ''],
  ['garbage', 'not a token at all'],
  ['a payload that is not JSON', signRaw(h, b64('{"sub":'))],
  ['a header that is not JSON', signRaw(b64('{{'), p)],
  ['a string exp', signRaw(h, b64({ sub: 'u1', exp: String(now + 900) }))],
  ['a string nbf', signRaw(h, b64({ sub: 'u1', nbf: 'soon', exp: now + 900 }))],
  ['a string iat', signRaw(h, b64({ sub: 'u1', iat: 'then', exp: now + 900 }))],
  ['standard base64 characters', signRaw(h.replace(/-/g, '+'), p)],
];

describe('verifyHs256 (the access-token verifier) gives jsonwebtoken’s verdict', () => {
  it.each(cases)('%s', (_name, token) => {
    expect(ours(token)).toBe(reference(token));
  });

  // jsonwebtoken accepts these (a signed JSON that is not an object); claims must be an object.
  it.each([
    ['a payload that is an array', signRaw(h, b64([1, 2]))],
    ['a payload that is a number', signRaw(h, b64('42'))],
    ['a payload that is null', signRaw(h, b64('null'))],
  ])('refuses %s, where jsonwebtoken is more lenient', (_name, token) => {
    expect(ours(token)).toBe('invalid');
  });

  it('returns the claims as signed', () => {
    expect(verifyHs256(valid, KEY, NOW)).toMatchObject({ sub: 'u1', role: 'user', iat: now - 10 + 0.123 });
  });

  it('names an expired token as JwtAuthGuard expects, through passport-jwt’s callback', () => {
    const expired = jwt.sign({ sub: 'u1', exp: Math.floor(Date.now() / 1000) - 1 }, SECRET);
    let error: Error | null = null;
    hs256JwtVerifier(expired, KEY, {}, (e) => (error = e));
    expect(error).toMatchObject({ name: 'TokenExpiredError', message: 'jwt expired' });
    let claims: unknown;
    hs256JwtVerifier(jwt.sign({ sub: 'u2', exp: Math.floor(Date.now() / 1000) + 60 }, SECRET), KEY, {}, (e, c) => {
      expect(e).toBeNull();
      claims = c;
    });
    expect(claims).toMatchObject({ sub: 'u2' });
  });

  it('refuses an over-long token without hashing it', () => {
    expect(() => verifyHs256(`${h}.${'A'.repeat(10_000)}.${s}`, KEY, NOW)).toThrow('jwt malformed');
  });
});
