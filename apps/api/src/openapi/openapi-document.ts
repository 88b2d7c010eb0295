import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { KEYCLOAK_SCHEME, PLATFORM_SCHEME } from '../auth/auth.decorators';
import { RETRY_AFTER_SECONDS } from '../common/unavailable';
import { MAX_JSON_DEPTH } from '../common/request-input';
import { CRM_ERROR_CODES } from '../crm-gateway/crm-error';
import { CRM_PATH_PREFIX } from '../crm-gateway/crm-exception.filter';

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
\`not_found\` 404, \`already_exists\` 409, \`failed_precondition\` 400, \`internal\` 500, \`unavailable\` 503 with
Retry-After: the database is away, retry with backoff). A body over 1 MiB answers
413 and a request line with headers over 16 KiB 431, both with \`resource_exhausted\` (the code Connect servers give a
message over their limit; not 429, which would invite a retry of a request that cannot succeed).
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

Both APIs read only \`application/json\` bodies (the CRM gateway answers 415 to any other, the Motto-style API 400),
nested at most ${MAX_JSON_DEPTH} levels, without \`__proto__\`, \`constructor\` or \`prototype\` keys; no string, path or query
parameter may hold NUL or an unpaired UTF-16 surrogate (PostgreSQL text cannot store them). Each refusal names the field.

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
  documentUnavailable(document);
  documentInputErrors(document);
  documentCorrelationHeader(document);
  return sortKeys(document) as OpenAPIObject;
}

/**
 * Every operation of both APIs may answer 503 while the database is away (refused, reset, shutting down, pool
 * or statement timeout, request deadline): in its API's error body, with Retry-After (common/unavailable.ts).
 */
function documentUnavailable(document: OpenAPIObject): void {
  document.components ??= {};
  document.components.headers = {
    ...document.components.headers,
    'retry-after': {
      description: 'Seconds to wait before retrying.',
      required: true,
      schema: { type: 'integer', example: RETRY_AFTER_SECONDS },
    },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    if (path.startsWith('/health')) continue;
    const crm = path.startsWith(CRM_PATH_PREFIX);
    for (const operation of Object.values(item)) {
      const responses = (operation as { responses?: Record<string, unknown> }).responses;
      if (!responses || responses['503']) continue;
      responses['503'] = {
        description: crm
          ? 'Service unavailable (errorCode 5030): the database is away; retry with backoff after Retry-After seconds.'
          : 'unavailable: the database is away; retry with backoff after Retry-After seconds.',
        headers: { 'retry-after': { $ref: '#/components/headers/retry-after' } },
        content: {
          'application/json': {
            schema: { $ref: `#/components/schemas/${crm ? 'CrmErrorDto' : 'MottoErrorDto'}` },
          },
        },
      };
    }
  }
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

/**
 * The refusals of the request boundary (common/request-input.ts, Fastify's body limit), which no controller
 * declares: 431 on every operation (request line and headers over 16 KiB); 413 on every operation with a
 * body (over 1 MiB); 415 on the CRM gateway's (not application/json). Each in its API's error body.
 */
function documentInputErrors(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    const crm = path.startsWith(CRM_PATH_PREFIX);
    const schema = { $ref: `#/components/schemas/${crm ? 'CrmErrorDto' : 'MottoErrorDto'}` };
    const response = (description: string, crmExample: object, mottoExample: object) => ({
      description,
      content: { 'application/json': { schema, example: crm ? crmExample : mottoExample } },
    });
    for (const operation of Object.values(item) as { requestBody?: unknown; responses: Record<string, unknown> }[]) {
      operation.responses['431'] ??= response(
        `The request line and headers exceed 16 KiB${crm ? ' (4310)' : ' (resource_exhausted)'}. Do not retry as is.`,
        { code: 431, errorCode: 4310, message: 'the request line and headers exceed the size limit (16 KiB)' },
        { code: 'resource_exhausted', message: 'the request line and headers exceed the size limit (16 KiB)' },
      );
      if (!operation.requestBody) continue;
      operation.responses['413'] ??= response(
        `Body over 1 MiB${crm ? ' (4130)' : ' (resource_exhausted)'}. Do not retry as is.`,
        { code: 413, errorCode: 4130, message: 'Request body is too large' },
        { code: 'resource_exhausted', message: 'Request body is too large' },
      );
      if (crm)
        operation.responses['415'] ??= response(
          'Body not sent as application/json (4150).',
          { code: 415, errorCode: 4150, message: 'Unsupported Media Type' },
          {},
        );
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
