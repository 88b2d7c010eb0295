export * from './errors/domain-error';
export * from './projects/project';
export * from './entitlements/entitlement';
export * from './entitlements/entitlement-event';
export * from './entitlements/entitlement-rules';
export * from './offers/offer';
