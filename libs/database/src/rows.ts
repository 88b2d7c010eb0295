import {
  AccessBasis,
  ContentKind,
  Entitlement,
  EntitlementOrigin,
  EntitlementStatus,
  Offer,
  OfferPrice,
  OfferTarget,
  PlaybackSession,
  ProductType,
  Project,
  SessionEndReason,
  ValidityType,
  Visibility,
} from '@app/domain';

/**
 * Rows of the hot reads (the access decision, the entitlement lists, offer get) as domain objects, straight from
 * the driver (directQuery): these reads run on every playback or page, and the ORM's managed entities (identity
 * map, snapshots of every JSON column for change detection) cost more CPU than the queries. Nothing read here is
 * ever written back through the ORM: writes lock and re-read them in their transaction (EntitlementTx, PlaybackTx).
 */

type Row = Record<string, unknown>;

/** A text or int8 column's value (the driver gives int8 as a decimal string). */
const str = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? value.toString() : '';

/** The number written by the ASCII digits of `s` from `start` to `end` (exclusive); NaN if one is not a digit. */
function digits(s: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/**
 * A timestamptz as PostgreSQL writes it in UTC (`2026-11-29 20:00:00.123456+00`), read field by field: the lists
 * read several per row, and Date's own parser (after rewriting the text to ISO 8601) cost more than the query's
 * decoding. Any other form (another offset, a year past 9999, BC) goes through that parser.
 */
export function pgTimestamp(value: unknown): Date | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value;
  const s = str(value);
  const n = s.length;
  if (n >= 22 && s.charCodeAt(10) === 32 && s.charCodeAt(n - 3) === 43 && s.endsWith('00')) {
    const fraction = n > 22 ? s.slice(20, Math.min(n - 3, 23)).padEnd(3, '0') : '0';
    const date = new Date(0);
    date.setUTCFullYear(digits(s, 0, 4), digits(s, 5, 7) - 1, digits(s, 8, 10));
    date.setUTCHours(digits(s, 11, 13), digits(s, 14, 16), digits(s, 17, 19), digits(fraction, 0, fraction.length));
    if (!Number.isNaN(date.getTime())) return date;
  }
  return new Date(s.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
}

const text = (value: unknown): string | undefined => (value === null || value === undefined ? undefined : str(value));
const bool = (value: unknown): boolean | undefined =>
  value === null || value === undefined ? undefined : Boolean(value);

/** A JSON column's value: parsed by the driver, or read as text (the access catalog) and parsed here. */
const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

function target(value: unknown): OfferTarget {
  const raw = (json(value) ?? {}) as Record<string, unknown>;
  return {
    entityIds: (raw.entityIds as string[]) ?? [],
    eventIds: (raw.eventIds as string[]) ?? [],
    creativeWorkIds: (raw.creativeWorkIds as string[]) ?? [],
    contentStartTime: typeof raw.contentStartTime === 'string' ? new Date(raw.contentStartTime) : undefined,
    contentEndTime: typeof raw.contentEndTime === 'string' ? new Date(raw.contentEndTime) : undefined,
  };
}

export function offerFromRow(row: Row): Offer {
  return new Offer({
    id: str(row.id),
    projectId: str(row.project_id),
    name: str(row.name),
    localizedTitle: (json(row.localized_title) ?? {}) as Record<string, string>,
    localizedDescription: (json(row.localized_description) ?? {}) as Record<string, string>,
    cleengOfferId: str(row.cleeng_offer_id),
    appliesToAll: Boolean(row.applies_to_all),
    target: target(row.target),
    localizedLogoAssetId: (json(row.localized_logo_asset_id) ?? {}) as Record<string, string>,
    localizedImageAssetId: (json(row.localized_image_asset_id) ?? {}) as Record<string, string>,
    offerPrices: (json(row.offer_prices) ?? []) as OfferPrice[],
    priority: str(row.priority),
    concurrencyLimit: text(row.concurrency_limit),
    visibility: row.visibility as Visibility,
    videoProtectionRulesetId: str(row.video_protection_ruleset_id),
    createdAt: pgTimestamp(row.created_at),
    updatedAt: pgTimestamp(row.updated_at),
  });
}

export function entitlementFromRow(row: Row): Entitlement {
  return new Entitlement({
    id: str(row.id),
    projectId: str(row.project_id),
    subjectId: str(row.subject_id),
    productId: str(row.product_id),
    validFrom: pgTimestamp(row.valid_from),
    validUntil: pgTimestamp(row.valid_until),
    status: row.status as EntitlementStatus,
    revokedAt: pgTimestamp(row.revoked_at),
    deviceId: text(row.device_id),
    concurrencyLimit: text(row.concurrency_limit),
    originCountryCode: text(row.origin_country_code),
    sourceType: text(row.source_type),
    sourceId: text(row.source_id),
    origin: row.origin as EntitlementOrigin,
    userId: text(row.user_id),
    purchasedByDeviceId: text(row.purchased_by_device_id),
    validityType: text(row.validity_type) as ValidityType | undefined,
    productType: text(row.product_type) as ProductType | undefined,
    capabilityType: text(row.capability_type),
    isArchivable: bool(row.is_archivable),
    isFreemium: bool(row.is_freemium),
    firstView: pgTimestamp(row.first_view),
    createdAt: pgTimestamp(row.created_at),
    updatedAt: pgTimestamp(row.updated_at),
  });
}

export function playbackSessionFromRow(row: Row): PlaybackSession {
  return new PlaybackSession({
    id: str(row.id),
    projectId: str(row.project_id),
    subjectId: str(row.subject_id),
    entitlementId: str(row.entitlement_id),
    offerId: str(row.offer_id),
    deviceId: str(row.device_id),
    contentKind: row.content_kind as ContentKind,
    contentId: str(row.content_id),
    countryCode: str(row.country_code),
    basis: row.basis as AccessBasis,
    startedAt: pgTimestamp(row.started_at)!,
    leaseUntil: pgTimestamp(row.lease_until)!,
    rentalUntil: pgTimestamp(row.rental_until),
    endedAt: pgTimestamp(row.ended_at),
    endReason: text(row.end_reason) as SessionEndReason | undefined,
  });
}

/** A project row; `prefix` names its columns in a join (`p_` → p_id, p_name, ...). */
export function projectFromRow(row: Row, prefix = ''): Project {
  const project = new Project({
    id: str(row[`${prefix}id`]),
    name: str(row[`${prefix}name`]),
    settings: row[`${prefix}settings`] ?? {},
  });
  project.createdAt = pgTimestamp(row[`${prefix}created_at`]) ?? project.createdAt;
  project.updatedAt = pgTimestamp(row[`${prefix}updated_at`]) ?? project.updatedAt;
  return project;
}
