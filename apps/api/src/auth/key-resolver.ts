import { createPublicKey, KeyObject } from 'node:crypto';
import { JwksClient } from 'jwks-rsa';
import { TrustedIssuer } from '../config/app-config';
import { DevSigningKey } from './dev-signing-key';

/** Asymmetric algorithms only: `none` and HMAC (HS*) tokens are refused before any key is looked up. */
export const ACCEPTED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
] as const;

export class KeyNotFoundError extends Error {}

/**
 * Finds the public key that must have signed a token, from the token's issuer and `kid`.
 * Configured issuers: their JWKS, fetched and cached by jwks-rsa; an unknown `kid` triggers a
 * (rate-limited) refetch, so a rotated key is picked up without a restart.
 * Development mode: the local development key.
 */
export class KeyResolver {
  private readonly clients = new Map<string, JwksClient>();
  /** Parsed keys by PEM: parsing a key per request cost more CPU than checking the signature. */
  private readonly keyObjects = new Map<string, KeyObject>();

  constructor(
    issuers: TrustedIssuer[],
    private readonly devIssuer?: { issuer: string; key: DevSigningKey },
  ) {
    for (const { issuer, jwksUri } of issuers) {
      this.clients.set(
        issuer,
        new JwksClient({
          jwksUri,
          cache: true,
          cacheMaxEntries: 20,
          cacheMaxAge: 10 * 60_000,
          rateLimit: true,
          jwksRequestsPerMinute: 10,
          timeout: 5_000,
        }),
      );
    }
  }

  get issuers(): string[] {
    return [...this.clients.keys(), ...(this.devIssuer ? [this.devIssuer.issuer] : [])];
  }

  /** The key as a KeyObject (parsed once per key), or KeyNotFoundError as publicKeyPem. */
  async publicKey(issuer: unknown, kid: unknown): Promise<KeyObject> {
    const pem = await this.publicKeyPem(issuer, kid);
    let key = this.keyObjects.get(pem);
    if (!key) {
      if (this.keyObjects.size >= 100) this.keyObjects.clear(); // bounded: rotations only add a few
      key = createPublicKey(pem);
      this.keyObjects.set(pem, key);
    }
    return key;
  }

  /** PEM of the key, or KeyNotFoundError (untrusted issuer, unknown kid, JWKS unreachable). */
  async publicKeyPem(issuer: unknown, kid: unknown): Promise<string> {
    if (typeof issuer !== 'string') throw new KeyNotFoundError('token has no issuer');
    if (this.devIssuer && issuer === this.devIssuer.issuer) {
      if (kid !== this.devIssuer.key.kid) throw new KeyNotFoundError(`unknown key id ${JSON.stringify(kid)}`);
      return createPublicKey({ key: this.devIssuer.key.publicJwk as import('node:crypto').JsonWebKey, format: 'jwk' })
        .export({ type: 'spki', format: 'pem' })
        .toString();
    }
    const client = this.clients.get(issuer);
    if (!client) throw new KeyNotFoundError(`untrusted issuer ${JSON.stringify(issuer)}`);
    if (typeof kid !== 'string' || !kid) throw new KeyNotFoundError('token has no key id (kid)');
    try {
      return (await client.getSigningKey(kid)).getPublicKey();
    } catch (err) {
      throw new KeyNotFoundError(`no key ${JSON.stringify(kid)} in the JWKS of ${issuer}: ${(err as Error).message}`);
    }
  }
}
