import { decodeJwt } from 'jose';

/** How long a verified token is taken on trust before its signature is checked again. */
export const VERIFIED_TOKEN_TTL_MS = 60_000;
const MAX_ENTRIES = 1_000;

/**
 * Tokens whose signature, issuer, audience and lifetime were verified, by their exact text, with the principal
 * they gave: the same bytes verify the same way, so a caller presenting the same token again (the playback
 * service does, on every play) skips the signature check. An entry lasts until the token's `exp` or
 * VERIFIED_TOKEN_TTL_MS, whichever comes first, so a key withdrawn from a JWKS stops being trusted within that
 * time. Bounded: the oldest entry goes when full.
 */
export class VerifiedTokens<P> {
  private readonly entries = new Map<string, { principal: P; until: number }>();

  constructor(
    private readonly ttlMs = VERIFIED_TOKEN_TTL_MS,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  get(token: string, now = Date.now()): P | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  /** Only after the token was verified; a token without `exp` is not kept. */
  remember(token: string, principal: P, now = Date.now()): void {
    let exp: unknown;
    try {
      exp = decodeJwt(token).exp;
    } catch {
      return;
    }
    if (typeof exp !== 'number') return;
    const until = Math.min(exp * 1000, now + this.ttlMs);
    if (until <= now) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, { principal, until });
  }
}

/** The token of an `Authorization: Bearer <token>` header, if that is what the header holds. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer +([\w.~+/-]+=*)$/i.exec(header);
  return match?.[1];
}
