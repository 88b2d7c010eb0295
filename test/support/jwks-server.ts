import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, JWK, KeyLike, SignJWT } from 'jose';

export interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyLike;
  publicKey: KeyLike;
}

export async function newSigningKey(kid: string, alg: 'RS256' | 'ES256' = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicKey };
}

export function publicKeyPem(key: SigningKey): Promise<string> {
  return exportSPKI(key.publicKey);
}

/** A token issuer's JWKS endpoint on loopback, whose keys a test can rotate; counts its requests. */
export class JwksServer {
  private keys: SigningKey[] = [];
  requests = 0;
  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<JwksServer> {
    const holder: { self?: JwksServer } = {};
    const server = createServer((_req, res) => {
      holder.self!.requests++;
      void holder.self!.jwks().then((body) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    holder.self = new JwksServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return holder.self;
  }

  setKeys(keys: SigningKey[]): void {
    this.keys = keys;
  }

  private async jwks(): Promise<{ keys: JWK[] }> {
    return {
      keys: await Promise.all(
        this.keys.map(async (k) => ({ ...(await exportJWK(k.publicKey)), kid: k.kid, alg: k.alg, use: 'sig' })),
      ),
    };
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

export interface SignOptions {
  issuer: string;
  audience?: string;
  subject?: string;
  /** null: no `exp` claim at all. */
  expiresIn?: number | string | null;
  notBefore?: number | string;
  kid?: string;
}

export function sign(key: SigningKey, claims: Record<string, unknown>, opts: SignOptions): Promise<string> {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: opts.kid ?? key.kid, typ: 'JWT' })
    .setIssuer(opts.issuer)
    .setSubject(opts.subject ?? 'test-subject')
    .setIssuedAt(Math.floor(Date.now() / 1000) - 60);
  // null: no `exp` at all.
  if (opts.expiresIn !== null) jwt = jwt.setExpirationTime(opts.expiresIn ?? '10m');
  if (opts.audience) jwt = jwt.setAudience(opts.audience);
  if (opts.notBefore !== undefined) jwt = jwt.setNotBefore(opts.notBefore);
  return jwt.sign(key.privateKey);
}

/** An unsigned token (`alg: none`). */
export function unsignedToken(claims: Record<string, unknown>): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`;
}

/** The same token with its payload changed and the original signature kept. */
export function tamper(token: string, change: Record<string, unknown>): string {
  const [h, p, s] = token.split('.');
  const payload = { ...JSON.parse(Buffer.from(p, 'base64url').toString()), ...change };
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
}
