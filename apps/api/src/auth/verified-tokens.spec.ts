import { bearerToken, VerifiedTokens } from './verified-tokens';

/** An unsigned JWT with these claims: VerifiedTokens only reads `exp` (the signature was checked before). */
const token = (claims: Record<string, unknown>) =>
  ['{"alg":"none"}', JSON.stringify(claims), ''].map((part) => Buffer.from(part).toString('base64url')).join('.');

describe('VerifiedTokens', () => {
  const now = Date.UTC(2026, 10, 29, 12);
  const exp = (ms: number) => (now + ms) / 1000;

  it('keeps a verified token until its exp when that comes before the ttl', () => {
    const tokens = new VerifiedTokens<string>(60_000);
    const t = token({ exp: exp(10_000) });
    tokens.remember(t, 'alice', now);
    expect(tokens.get(t, now + 9_999)).toBe('alice');
    expect(tokens.get(t, now + 10_000)).toBeUndefined();
  });

  it('keeps it no longer than the ttl (a key withdrawn from the JWKS stops being trusted)', () => {
    const tokens = new VerifiedTokens<string>(60_000);
    const t = token({ exp: exp(3_600_000) });
    tokens.remember(t, 'alice', now);
    expect(tokens.get(t, now + 59_999)).toBe('alice');
    expect(tokens.get(t, now + 60_000)).toBeUndefined();
  });

  it('does not keep a token without exp, an expired one, or a malformed one', () => {
    const tokens = new VerifiedTokens<string>();
    for (const t of [token({ sub: 'x' }), token({ exp: exp(-1) }), token({ exp: 'soon' }), 'not.a.jwt']) {
      tokens.remember(t, 'alice', now);
      expect(tokens.get(t, now)).toBeUndefined();
    }
  });

  it('is bounded: the oldest entry goes first', () => {
    const tokens = new VerifiedTokens<number>(60_000, 3);
    const ts = [1, 2, 3, 4].map((i) => token({ exp: exp(10_000), i }));
    ts.forEach((t, i) => tokens.remember(t, i, now));
    expect(ts.map((t) => tokens.get(t, now))).toEqual([undefined, 1, 2, 3]);
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header only', () => {
    expect(bearerToken('Bearer abc.def-_.ghi')).toBe('abc.def-_.ghi');
    expect(bearerToken('bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('Basic dXNlcg==')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(['Bearer a'])).toBeUndefined();
  });
});
