import { Entitlement } from '@app/domain';
import { EntityKey } from '@mikro-orm/postgresql';
import { FieldMapping, OrderKey, propertyOf } from '../conditions';
import { EntitlementSchema } from '../schema/entitlement.schema';
import { EXPIRATION_SQL } from './entitlement-sql';

/**
 * The fields entitlement conditions and sort keys may name: properties, and two computed ones:
 * `expiration` (Entitlement.expiration(), what the Motto-style API shows as expiration_time) and `validFrom`,
 * which reads an absent start as the creation time (an entitlement without one is valid from its creation).
 */
export type EntitlementField =
  | 'id'
  | 'subjectId'
  | 'productId'
  | 'userId'
  | 'deviceId'
  | 'purchasedByDeviceId'
  | 'validityType'
  | 'productType'
  | 'capabilityType'
  | 'validFrom'
  | 'validUntil'
  | 'status'
  | 'isArchivable'
  | 'isFreemium'
  | 'firstView'
  | 'sourceType'
  | 'sourceId'
  | 'createdAt'
  | 'updatedAt'
  | 'expiration';

const property = (name: EntityKey<Entitlement>) => propertyOf(EntitlementSchema, name);

/** Where each field lives; a property's nullability comes from the schema. */
export const ENTITLEMENT_FIELDS: Readonly<Record<EntitlementField, FieldMapping>> = {
  id: property('id'),
  subjectId: property('subjectId'),
  productId: property('productId'),
  userId: property('userId'),
  deviceId: property('deviceId'),
  purchasedByDeviceId: property('purchasedByDeviceId'),
  validityType: property('validityType'),
  productType: property('productType'),
  capabilityType: property('capabilityType'),
  // Filtered and sorted on the same expression, so a list sorts by what it filters on (never NULL).
  validFrom: { sql: (a) => `coalesce(${a}."valid_from", ${a}."created_at")`, nullable: false },
  validUntil: property('validUntil'),
  status: property('status'),
  isArchivable: property('isArchivable'),
  isFreemium: property('isFreemium'),
  firstView: property('firstView'),
  sourceType: property('sourceType'),
  sourceId: property('sourceId'),
  createdAt: property('createdAt'),
  updatedAt: property('updatedAt'),
  expiration: { sql: EXPIRATION_SQL, nullable: true },
};

/** The caller's sort keys, then `id` (unless given), so pages of a list never overlap or skip. */
export function withIdTieBreaker(sort: readonly OrderKey<EntitlementField>[]): OrderKey<EntitlementField>[] {
  return sort.some((k) => k.field === 'id') ? [...sort] : [...sort, { field: 'id', direction: 'asc' }];
}
