import { EntitlementEventSchema, EntitlementSchema } from './schema/entitlement.schema';
import { ProjectSchema } from './schema/project.schema';

/** Every mapped entity, listed explicitly (safe under any bundler or compiler). */
export const ENTITIES = [ProjectSchema, EntitlementSchema, EntitlementEventSchema];
