import { generateSecret, sign, signatureHeader, verifySignature } from './webhook-signature';
import { isBlockedAddress, urlProblem } from './target-guard';

describe('Standard Webhooks signatures', () => {
  it('matches the example of the Standard Webhooks specification', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(sign(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('signs with every secret in use and verifies each', () => {
    const [a, b] = [generateSecret(), generateSecret()];
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const header = signatureHeader([a, b], 'evt-1', 1700000000, '{}');
    expect(header.split(' ')).toHaveLength(2);
    expect(verifySignature(a, 'evt-1', '1700000000', '{}', header)).toBe(true);
    expect(verifySignature(b, 'evt-1', '1700000000', '{}', header)).toBe(true);
    expect(verifySignature(a, 'evt-1', '1700000001', '{}', header)).toBe(false);
    expect(verifySignature(generateSecret(), 'evt-1', '1700000000', '{}', header)).toBe(false);
  });
});

describe('webhook target guard', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
  ])('blocks %s', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });

  it('wants https without credentials, unless private targets are allowed (then http too)', () => {
    expect(urlProblem('http://example.com/', false)).toBe('must be an https:// URL');
    expect(urlProblem('http://127.0.0.1:8080/', true)).toBeUndefined();
    expect(urlProblem('https://u:p@example.com/', false)).toBe('must not contain credentials');
    expect(urlProblem('ftp://example.com/', true)).toBe('must be an https:// URL');
    expect(urlProblem('https://example.com/hook?x=1', false)).toBeUndefined();
  });
});
