/**
 * The bench's token issuers: one ES256 key, published as a JWKS on loopback, signing platform tokens (Motto-style
 * API) and Keycloak-style tokens (CRM gateway). The service verifies them for real (jwks-rsa, passport-jwt).
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWK, SignJWT } from 'jose';

export const PLATFORM_AUDIENCE = 'entitlements-api';

export interface BenchAuth {
  platformIssuer: string;
  keycloakIssuer: string;
  jwksUri: string;
  /** Environment variables that make the service trust these issuers. */
  env: Record<string, string>;
  platformToken(role: 'admin' | 'editor' | 'playback' | 'viewer', projects: string[]): Promise<string>;
  keycloakToken(roles: string[]): Promise<string>;
  close(): Promise<void>;
}

export async function startAuth(): Promise<BenchAuth> {
  const kid = 'bench-key';
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const platformIssuer = `${base}/platform`;
  const keycloakIssuer = `${base}/realms/operators`;
  const jwksUri = `${base}/jwks.json`;
  const sign = (claims: Record<string, unknown>, issuer: string, audience: string, subject: string) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime('4h')
      .sign(privateKey);
  return {
    platformIssuer,
    keycloakIssuer,
    jwksUri,
    env: {
      AUTH_PLATFORM_ISSUERS: platformIssuer,
      AUTH_PLATFORM_JWKS_URIS: jwksUri,
      AUTH_KEYCLOAK_ISSUERS: keycloakIssuer,
      AUTH_KEYCLOAK_JWKS_URIS: jwksUri,
      // Required in production (the service will not start without it).
      AUTH_KEYCLOAK_AUDIENCE: 'account',
    },
    platformToken: (role, projects) => sign({ projects, role }, platformIssuer, PLATFORM_AUDIENCE, `bench-${role}`),
    keycloakToken: (roles) =>
      sign({ realm_access: { roles }, azp: 'bench-crm', typ: 'Bearer' }, keycloakIssuer, 'account', 'bench-operator'),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
