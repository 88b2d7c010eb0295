/**
 * Prints a development token, signed with the service's development key (<DATA_DIR>/dev-signing-key.json),
 * on stdout and nothing else there (messages go to stderr), so `TOKEN=$(npm run -s token -- ...)` works.
 *
 *   npm run token -- --project <id|*> --role <admin|editor|viewer>        platform token (Motto-style API)
 *   npm run token -- --keycloak --role operatorRole [--tenant <id>]      Keycloak-style token (CRM gateway)
 * Options: --project and --tenant may repeat; --ttl <seconds> (default 3600); --subject <sub>.
 */
import './register-aliases';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../apps/api/src/config/app-config';
import { DevSigningKey } from '../apps/api/src/auth/dev-signing-key';
import { OPERATOR_ROLES, PLATFORM_ROLES, PlatformRole } from '../apps/api/src/auth/principal';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      project: { type: 'string', multiple: true },
      role: { type: 'string' },
      keycloak: { type: 'boolean', default: false },
      tenant: { type: 'string', multiple: true },
      ttl: { type: 'string', default: '3600' },
      subject: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stderr.write(
      'usage: npm run token -- --project <id|*> --role <admin|editor|viewer>\n' +
        '       npm run token -- --keycloak --role <operatorRole|adminRole> [--tenant <id>]\n' +
        '       options: --ttl <seconds> (default 3600), --subject <sub>; --project and --tenant may repeat\n',
    );
    return;
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    fail(err instanceof ConfigError ? err.message : String(err));
  }
  if (!config.auth.devMode) {
    fail(
      'Token issuers are configured (AUTH_*_ISSUERS), so the service does not trust development tokens; get a token from your issuer.',
    );
  }
  if (!/^\d+$/.test(values.ttl) || Number(values.ttl) < 1) fail('--ttl must be a positive number of seconds');
  const ttlSeconds = Number(values.ttl);
  const key = await DevSigningKey.loadOrCreate(config.dataDir);

  if (values.keycloak) {
    const role = values.role ?? 'operatorRole';
    if (!OPERATOR_ROLES.includes(role as never))
      fail(`--role must be one of ${OPERATOR_ROLES.join(', ')} for a Keycloak token`);
    const token = await key.keycloakToken({
      roles: [role],
      tenants: values.tenant,
      tenantsClaim: config.auth.keycloakTenantsClaim,
      audience: config.auth.keycloakAudience,
      subject: values.subject,
      ttlSeconds,
    });
    process.stdout.write(`${token}\n`);
    return;
  }
  if (!values.project?.length) fail('--project <id|*> is required (or --keycloak); see --help');
  if (!PLATFORM_ROLES.includes(values.role as PlatformRole)) fail(`--role must be one of ${PLATFORM_ROLES.join(', ')}`);
  const projects = values.project
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter(Boolean);
  const token = await key.platformToken({
    projects,
    role: values.role as PlatformRole,
    audience: config.auth.platformAudience,
    subject: values.subject,
    ttlSeconds,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
