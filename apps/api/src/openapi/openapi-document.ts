import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { KEYCLOAK_SCHEME, PLATFORM_SCHEME } from '../auth/auth.decorators';
import { CRM_ERROR_CODES } from '../crm-gateway/crm-error';

export const API_VERSION = '1.0.0';

const DESCRIPTION = `
Entitlements and offers for video streaming platforms: who pays for what, and who may watch what.
Two API styles over one shared domain and one store.

## Motto-style monetization API
\`/monetization/offers/v1\`, \`/monetization/entitlements/v1\`, \`/iam/projects/v1\`. For platform back offices and
internal services. protobuf-JSON conventions: snake_case keys, 64-bit integers as decimal strings, enums by name,
RFC 3339 timestamps, every field emitted. Single resources are wrapped (\`{"offer": ...}\`); lists return
\`next_page_token\` (empty when there are no more). Errors use the Connect body \`{"code", "message", "details"}\`
(\`invalid_argument\` 400 with one entry per offending field, \`unauthenticated\` 401, \`permission_denied\` 403,
\`not_found\` 404, \`already_exists\` 409, \`failed_precondition\` 400, \`internal\` 500).
Authentication: a platform bearer token (scheme \`${PLATFORM_SCHEME}\`) whose claims name the projects it may act on
(\`projects\`: ids or \`*\`) and its role (\`role\`: viewer, editor, admin).

## CRM-gateway-style operator API
\`/crm-gateway/v1/rmg/v1/entitlements\`. The shape pay-TV operators' CRM and billing systems already speak (NAGRA OpenTV
style). Authentication: a Keycloak access token (scheme \`${KEYCLOAK_SCHEME}\`) with realm role \`operatorRole\` or
\`adminRole\`; the tenant (= project) comes from the \`nv-tenant-id\` header. An invalid or missing token answers 403.
Errors use \`{"code": <HTTP status>, "errorCode": <number>, "message"}\`:

| errorCode | HTTP | meaning |
|---|---|---|
${CRM_ERROR_CODES.map((c) => `| ${c.errorCode} | ${c.status} | ${c.meaning} |`).join('\n')}

## Change notifications (webhooks)
\`/monetization/webhooks/v1/endpoints\`: every change of an entitlement or offer is POSTed to the endpoints that asked
for its type, as the schema \`ChangeEvent\` (also the \`changeEvent\` callback of createWebhookEndpoint), signed per
Standard Webhooks (\`webhook-id\`, \`webhook-timestamp\`, \`webhook-signature: v1,<base64 HMAC-SHA256 of
"id.timestamp.body">\`), retried with exponential backoff for at least 24 hours, in order per resource.

Every response carries \`x-correlation-id\`: the caller's when sent (a token of at most 128 characters), otherwise a new one.
`.trim();

/** The OpenAPI document of the application, as served at /docs and committed as openapi.yaml. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Entitlements service')
    .setDescription(DESCRIPTION)
    .setVersion(API_VERSION)
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('/', 'This service (relative to where this document is served)')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'Platform token (Motto-style API): claims `projects` and `role`. In development: `npm run token -- --project demo --role editor`.',
      },
      PLATFORM_SCHEME,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'Keycloak access token (CRM gateway): realm role operatorRole or adminRole. In development: `npm run token -- --keycloak --role operatorRole`.',
      },
      KEYCLOAK_SCHEME,
    )
    .addTag('Projects', 'Projects (tenants): every offer and entitlement belongs to one.')
    .addTag('Offers', 'What a platform sells: prices, the content covered, concurrency limits.')
    .addTag('Entitlements', 'Who may watch what (Motto-style API), over the shared entitlement store.')
    .addTag(
      'CRM Gateway',
      'Operator API: entitlements of accounts and devices (NAGRA OpenTV style), over the same store.',
    )
    .addTag('Webhooks', 'Change notifications: webhook endpoints, their secrets and delivery log.')
    .addTag('Health', 'Liveness and readiness.')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    // The handler's name is the operationId: createOffer, listEntitlements, ...
    operationIdFactory: (_controllerKey: string, methodKey: string) => methodKey,
  });
  documentCorrelationHeader(document);
  return sortKeys(document) as OpenAPIObject;
}

/** Every response of every operation returns x-correlation-id (see logging/correlation-id.ts). */
function documentCorrelationHeader(document: OpenAPIObject): void {
  document.components ??= {};
  document.components.headers = {
    ...document.components.headers,
    'x-correlation-id': {
      description: "The request's correlation id: the one the caller sent when usable, otherwise a new UUID.",
      required: true,
      schema: { type: 'string', example: 'b7c8d9e0-1f2a-4b3c-8d4e-5f6a7b8c9d0e' },
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      const responses = (operation as { responses?: Record<string, { headers?: Record<string, unknown> }> }).responses;
      for (const response of Object.values(responses ?? {})) {
        response.headers = {
          ...response.headers,
          'x-correlation-id': { $ref: '#/components/headers/x-correlation-id' },
        };
      }
    }
  }
}

/** Recursively sorted object keys (arrays keep their order): the same document on every run and machine. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Swagger UI at /docs (authorization kept across reloads), the document at /docs/openapi.json and /docs/openapi.yaml. */
export function setupDocs(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
    customSiteTitle: 'Entitlements service API',
    swaggerOptions: { persistAuthorization: true, displayOperationId: true, tryItOutEnabled: false },
  });
}
