import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ nodeEnv: 'development', host: '127.0.0.1', port: 3000, dataDir: './.data', migrateOnStart: true, logLevel: 'info' });
    expect(c.databaseUrl).toBeUndefined();
  });

  it('does not migrate at start by default when DATABASE_URL is set, unless told to', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@h/db' }).migrateOnStart).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@h/db', DB_MIGRATE_ON_START: 'true' }).migrateOnStart).toBe(true);
  });

  it('listens on every interface in production', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).host).toBe('0.0.0.0');
  });

  it.each([
    ['PORT', '70000', 'PORT must be an integer from 0 to 65535 (got "70000")'],
    ['PORT', 'abc', 'PORT must be an integer from 0 to 65535 (got "abc")'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://x")'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    ['DB_MIGRATE_ON_START', 'yes', 'DB_MIGRATE_ON_START must be true or false (got "yes")'],
    ['NODE_ENV', 'staging', 'NODE_ENV must be development, production or test (got "staging")'],
  ])('rejects %s=%s naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new ConfigError([message]));
  });
});
