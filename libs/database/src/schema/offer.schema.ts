import { PROJECT_REF } from './project-ref';
import { Offer, OfferTarget, Visibility } from '@app/domain';
import { BigIntType, EntitySchema, JsonType, Platform } from '@mikro-orm/postgresql';

/** The offer's target as jsonb, with its content times read back as Dates. */
export class OfferTargetType extends JsonType {
  override convertToJSValue(value: unknown, platform: Platform): OfferTarget {
    const raw = super.convertToJSValue(value, platform) as Record<string, unknown> | null;
    const time = (v: unknown) => (typeof v === 'string' ? new Date(v) : undefined);
    return {
      entityIds: (raw?.entityIds as string[]) ?? [],
      eventIds: (raw?.eventIds as string[]) ?? [],
      creativeWorkIds: (raw?.creativeWorkIds as string[]) ?? [],
      contentStartTime: time(raw?.contentStartTime),
      contentEndTime: time(raw?.contentEndTime),
    };
  }
}

export const OfferSchema = new EntitySchema<Offer>({
  class: Offer,
  tableName: 'offer',
  properties: {
    // Generated as UUIDs; text, so a malformed id from a caller is simply not found.
    id: { type: 'string', length: 64, primary: true },
    projectId: PROJECT_REF,
    name: { type: 'string', length: 200 },
    localizedTitle: { type: 'json', fieldName: 'localized_title' },
    localizedDescription: { type: 'json', fieldName: 'localized_description' },
    cleengOfferId: { type: 'string', length: 256, fieldName: 'cleeng_offer_id' },
    appliesToAll: { type: 'boolean', fieldName: 'applies_to_all' },
    target: { type: OfferTargetType },
    localizedLogoAssetId: { type: 'json', fieldName: 'localized_logo_asset_id' },
    localizedImageAssetId: { type: 'json', fieldName: 'localized_image_asset_id' },
    // Prices keep their amounts as int64 decimal strings: exact, no floating point.
    offerPrices: { type: 'json', fieldName: 'offer_prices' },
    priority: { type: new BigIntType('string') },
    concurrencyLimit: { type: new BigIntType('string'), nullable: true, fieldName: 'concurrency_limit' },
    visibility: { enum: true, items: () => Visibility },
    videoProtectionRulesetId: { type: 'string', length: 256, fieldName: 'video_protection_ruleset_id' },
    createdAt: { type: 'Date', columnType: 'timestamptz(3)', fieldName: 'created_at' },
    updatedAt: { type: 'Date', columnType: 'timestamptz(3)', fieldName: 'updated_at' },
  },
  indexes: [
    // Lists: by priority (highest first), then creation; keyset pagination walks this index.
    {
      name: 'offer_project_priority_idx',
      expression:
        'create index "offer_project_priority_idx" on "offer" ("project_id", "priority" desc, "created_at", "id")',
    },
    // Offers covering all content of a project.
    {
      name: 'offer_applies_to_all_idx',
      expression: 'create index "offer_applies_to_all_idx" on "offer" ("project_id") where "applies_to_all"',
    },
  ],
  checks: [
    { name: 'offer_concurrency_limit_check', expression: 'concurrency_limit is null or concurrency_limit >= 1' },
  ],
});

/** Kinds of content an offer's target names. */
export enum OfferContentKind {
  Entity = 'ENTITY',
  Event = 'EVENT',
  CreativeWork = 'CREATIVE_WORK',
}

/**
 * One content id an offer's target names: the index an access decision uses to find, for one piece of
 * content, the offers of a project that cover it. Kept in step with the offer in the same transaction.
 */
export class OfferContent {
  projectId: string;
  kind: OfferContentKind;
  contentId: string;
  offerId: string;
}

export const OfferContentSchema = new EntitySchema<OfferContent>({
  class: OfferContent,
  tableName: 'offer_content',
  properties: {
    projectId: { type: 'string', length: 63, primary: true, fieldName: 'project_id' },
    kind: { enum: true, items: () => OfferContentKind, primary: true },
    contentId: { type: 'string', length: 256, primary: true, fieldName: 'content_id' },
    offerId: {
      kind: 'm:1',
      entity: () => Offer,
      mapToPk: true,
      primary: true,
      fieldName: 'offer_id',
      deleteRule: 'cascade',
      updateRule: 'no action',
    },
  },
  indexes: [{ name: 'offer_content_offer_idx', properties: ['offerId'] }],
});
