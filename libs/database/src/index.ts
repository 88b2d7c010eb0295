export * from './database-server';
export * from './embedded-postgres-server';
export * from './entities';
export * from './migrate';
export * from './orm-options';
export * from './entitlements/entitlement-store';
