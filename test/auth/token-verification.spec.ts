import { SignJWT } from 'jose';
import {
  JwksServer,
  newSigningKey,
  publicKeyPem,
  sign,
  SigningKey,
  tamper,
  unsignedToken,
} from '../support/jwks-server';
import { TestApp } from '../support/test-app';

/**
 * Tokens from configured issuers (not development mode): JWKS fetched over HTTP, every kind of bad token
 * refused with 401 unauthenticated on the Motto-style API.
 */
describe('token verification against a configured issuer', () => {
  let jwks: JwksServer;
  let t: TestApp;
  let key: SigningKey;
  let platformIssuer: string;
  const audience = 'entitlements-api';
  const adminClaims = { projects: ['*'], role: 'admin' };
  const url = '/iam/projects/v1';

  beforeAll(async () => {
    jwks = await JwksServer.start();
    key = await newSigningKey('key-1');
    jwks.setKeys([key]);
    platformIssuer = `${jwks.baseUrl}/platform`;
    t = await TestApp.start({
      AUTH_PLATFORM_ISSUERS: platformIssuer,
      AUTH_PLATFORM_JWKS_URIS: `${jwks.baseUrl}/platform/jwks.json`,
      AUTH_KEYCLOAK_ISSUERS: `${jwks.baseUrl}/realms/operators`,
      AUTH_PLATFORM_AUDIENCE: audience,
    });
  });
  afterAll(async () => {
    await t.close();
    await jwks.close();
  });

  const expect401 = async (headers: Record<string, string>, reason: RegExp) => {
    const res = await t.get(url, { headers });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
    expect(res.body.message).toMatch(reason);
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it("accepts a valid token signed by the issuer's JWKS key", async () => {
    const res = await t.get(url, { token: await sign(key, adminClaims, { issuer: platformIssuer, audience }) });
    expect(res.status).toBe(200);
  });

  it('is not in development mode: no development JWKS route', async () => {
    expect((await t.get('/.well-known/jwks.json')).status).toBe(404);
  });

  it('refuses a request without Authorization header', () => expect401({}, /missing bearer token/));

  it('refuses a malformed Authorization header', async () => {
    await expect401({ authorization: 'Basic dXNlcjpwYXNz' }, /missing bearer token/);
    await expect401({ authorization: 'Bearer not-a-jwt' }, /invalid token/);
    await expect401({ authorization: 'Bearer a.b.c' }, /invalid token/);
  });

  it('refuses an expired token', async () =>
    expect401(
      bearer(
        await sign(key, adminClaims, {
          issuer: platformIssuer,
          audience,
          expiresIn: Math.floor(Date.now() / 1000) - 120,
        }),
      ),
      /expired/,
    ));

  it('refuses a token without exp (it would never expire)', async () =>
    expect401(
      bearer(await sign(key, adminClaims, { issuer: platformIssuer, audience, expiresIn: null })),
      /no expiry/,
    ));

  it('refuses a token not yet valid (nbf in the future)', async () =>
    expect401(
      bearer(await sign(key, adminClaims, { issuer: platformIssuer, audience, notBefore: '10m' })),
      /not active/,
    ));

  it('refuses a token of another issuer, even signed with a trusted key', async () =>
    expect401(
      bearer(await sign(key, adminClaims, { issuer: 'https://evil.example.com', audience })),
      /untrusted issuer/,
    ));

  it('refuses a token for another audience', async () =>
    expect401(
      bearer(await sign(key, adminClaims, { issuer: platformIssuer, audience: 'some-other-api' })),
      /audience invalid/,
    ));

  it('refuses a token whose kid is not in the JWKS', async () => {
    const stranger = await newSigningKey('unknown-kid');
    await expect401(
      bearer(await sign(stranger, adminClaims, { issuer: platformIssuer, audience })),
      /no key "unknown-kid"/,
    );
  });

  it('refuses alg none', () =>
    expect401(
      bearer(
        unsignedToken({ ...adminClaims, iss: platformIssuer, aud: audience, exp: Math.floor(Date.now() / 1000) + 600 }),
      ),
      /invalid/,
    ));

  it('refuses an HS256 token signed with the public key as the secret', async () => {
    const secret = new TextEncoder().encode(await publicKeyPem(key));
    const token = await new SignJWT(adminClaims)
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .setIssuer(platformIssuer)
      .setAudience(audience)
      .setExpirationTime('10m')
      .sign(secret);
    await expect401(bearer(token), /invalid algorithm/);
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const viewer = await sign(key, { projects: ['demo'], role: 'viewer' }, { issuer: platformIssuer, audience });
    await expect401(bearer(tamper(viewer, { projects: ['*'], role: 'admin' })), /invalid signature/);
  });

  it('picks up a rotated key without a restart', async () => {
    const next = await newSigningKey('key-2', 'ES256');
    jwks.setKeys([key, next]);
    const res = await t.get(url, { token: await sign(next, adminClaims, { issuer: platformIssuer, audience }) });
    expect(res.status).toBe(200);
    // The old key retired from the JWKS: the new key's tokens keep verifying.
    jwks.setKeys([next]);
    expect(
      (await t.get(url, { token: await sign(next, adminClaims, { issuer: platformIssuer, audience }) })).status,
    ).toBe(200);
  });

  it('does not accept a platform token on behalf of a Keycloak issuer (nor the other way round)', async () => {
    const keycloakLike = await sign(
      key,
      { realm_access: { roles: ['operatorRole'] } },
      { issuer: `${jwks.baseUrl}/realms/operators`, audience },
    );
    await expect401(bearer(keycloakLike), /untrusted issuer/);
  });
});

/**
 * Keycloak tokens on the CRM gateway: the tenants claim restricts a token only when it is a list of strings;
 * any other shape is refused (it used to read as "any tenant"), as is a token without exp.
 */
describe('Keycloak token claims on the CRM gateway', () => {
  let jwks: JwksServer;
  let t: TestApp;
  let key: SigningKey;
  let issuer: string;
  const audience = 'entitlements-crm';
  const url = '/crm-gateway/v1/rmg/v1/entitlements';

  beforeAll(async () => {
    jwks = await JwksServer.start();
    key = await newSigningKey('kc-1');
    jwks.setKeys([key]);
    issuer = `${jwks.baseUrl}/realms/operators`;
    t = await TestApp.start({
      AUTH_KEYCLOAK_ISSUERS: issuer,
      AUTH_KEYCLOAK_JWKS_URIS: `${jwks.baseUrl}/realms/operators/certs`,
      AUTH_KEYCLOAK_AUDIENCE: audience,
    });
    await t.sql(
      `insert into project (id, name, settings, created_at, updated_at) values ('kc-a', 'A', '{}', now(), now())`,
    );
  });
  afterAll(async () => {
    await t.close();
    await jwks.close();
  });

  const call = async (claims: Record<string, unknown>, opts: { expiresIn?: null } = {}) =>
    t.get(url, {
      headers: { 'nv-tenant-id': 'kc-a' },
      token: await sign(key, { realm_access: { roles: ['operatorRole'] }, ...claims }, { issuer, audience, ...opts }),
    });

  it('accepts a list of tenant ids naming the tenant, and a token without the claim (any tenant)', async () => {
    expect((await call({ tenants: ['kc-a'] })).status).toBe(200);
    expect((await call({})).status).toBe(200);
  });

  it('refuses a list that does not name the tenant (4031)', async () => {
    const res = await call({ tenants: ['kc-b'] });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 403, errorCode: 4031 });
  });

  it.each([
    ['an object', { 'kc-a': true }],
    ['null', null],
    ['a number', 42],
    ['a boolean', true],
    ['a string', 'kc-a'],
    ['a list with a non-string', ['kc-a', 7]],
  ])('refuses a tenants claim that is %s (fail closed, 4030)', async (_what, value) => {
    const res = await call({ tenants: value });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 403, errorCode: 4030 });
    expect(res.body.message).toMatch(/tenants claim must be a list/);
  });

  it('refuses a token without exp (4030)', async () => {
    const res = await call({ tenants: ['kc-a'] }, { expiresIn: null });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 403, errorCode: 4030 });
    expect(res.body.message).toMatch(/no expiry/);
  });

  it('refuses a token for another audience', async () => {
    const token = await sign(key, { realm_access: { roles: ['operatorRole'] } }, { issuer, audience: 'account' });
    const res = await t.get(url, { headers: { 'nv-tenant-id': 'kc-a' }, token });
    expect(res.status).toBe(403);
    expect(res.body.errorCode).toBe(4030);
  });
});
