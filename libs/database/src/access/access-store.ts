import { Content, ContentKind, Entitlement, Offer, Project } from '@app/domain';
import { EntityManager } from '@mikro-orm/postgresql';
import { OfferContentKind } from '../schema/offer.schema';
import { directQuery } from '../direct-query';
import { entitlementFromRow, offerFromRow, projectFromRow } from '../rows';

/** What an access decision reads first: the project (its settings), and the offers that may cover the contents. */
export interface AccessCatalog {
  /** null: no such project. */
  project: Project | null;
  offers: Offer[];
}

const KIND: Record<ContentKind, OfferContentKind> = {
  [ContentKind.Event]: OfferContentKind.Event,
  [ContentKind.CreativeWork]: OfferContentKind.CreativeWork,
};

/** A JSON array parameter as a text[] (parameters are bound, never spliced into SQL). */
const textArray = (n: number) => `array(select jsonb_array_elements_text($${n}::jsonb))`;

/**
 * The offer columns the catalog reads, its JSON ones as text: the driver would parse every JSON column of every
 * candidate offer on every decision; as text, they are parsed only for a row version not built yet (OfferVersions,
 * offerFromRow). test/access/offer-versions.spec.ts checks that this names every column of the table.
 */
export const CATALOG_OFFER_COLUMNS = [
  'id',
  'project_id',
  'name',
  'localized_title::text',
  'localized_description::text',
  'cleeng_offer_id',
  'applies_to_all',
  'target::text',
  'localized_logo_asset_id::text',
  'localized_image_asset_id::text',
  'offer_prices::text',
  'priority',
  'concurrency_limit',
  'visibility',
  'video_protection_ruleset_id',
  'created_at',
  'updated_at',
] as const;

const OFFER_SELECT = [
  ...CATALOG_OFFER_COLUMNS.map((c) => (c.endsWith('::text') ? `o.${c} as ${c.slice(0, -6)}` : `o.${c}`)),
  `o.xmin::text || '/' || o.ctid::text as o_version`,
].join(', ');

/**
 * The project, and every offer of it that may cover one of the contents: those applying to all content
 * (offer_applies_to_all_idx) and those naming one of the content ids for its kind, or one of their entities
 * (offer_content primary key). One round trip; the domain's offerCovers then checks each (content windows).
 * Each offer row comes with its row version (`o_version`: the inserting transaction and the tuple's place,
 * which every UPDATE changes), so the decision reuses the offer it built from that very version (OfferVersions).
 */
export const CATALOG_SQL = `
select p.id as p_id, p.name as p_name, p.settings as p_settings, p.created_at as p_created_at,
       p.updated_at as p_updated_at, o.*
from project p
left join lateral (
  select ${OFFER_SELECT} from offer o where o.project_id = p.id and o.applies_to_all
  union all
  select named.* from (
    select distinct c.offer_id from offer_content c
    where c.project_id = p.id
      and ((c.kind = 'EVENT' and c.content_id = any(${textArray(1)}))
        or (c.kind = 'CREATIVE_WORK' and c.content_id = any(${textArray(2)}))
        or (c.kind = 'ENTITY' and c.content_id = any(${textArray(3)})))
  ) ids
  -- One primary-key lookup per named offer (limit 1 keeps the planner from a scan-and-hash of all offers).
  cross join lateral (
    select ${OFFER_SELECT} from offer o
    where o.id = ids.offer_id and not o.applies_to_all limit 1
  ) named
) o on true
where p.id = $4`;

/** The parameters of CATALOG_SQL for the contents. */
export function catalogParams(projectId: string, contents: readonly Content[]): string[] {
  const ids = (kind: OfferContentKind) =>
    JSON.stringify(contents.filter((c) => KIND[c.kind] === kind).map((c) => c.id));
  const entities = JSON.stringify([...new Set(contents.flatMap((c) => c.entityIds))]);
  return [ids(OfferContentKind.Event), ids(OfferContentKind.CreativeWork), entities, projectId];
}

/** The viewer's entitlements to some products (a JSON array), in any status. */
export const VIEWER_ENTITLEMENTS_SQL = `select * from entitlement where project_id = $1 and subject_id = $2 and product_id = any(${textArray(3)})`;

/**
 * The reads of the access decision, at most two round trips whatever the number of contents: the catalog
 * (project and candidate offers), then the viewer's entitlements to those offers. Both go straight through the
 * driver (directQuery): they run on every playback and need no request context, identity map or write-back.
 */
export class AccessStore {
  private readonly offerVersions = new OfferVersions();

  constructor(private readonly em: EntityManager) {}

  async catalog(projectId: string, contents: readonly Content[]): Promise<AccessCatalog> {
    const rows = await directQuery(this.em, CATALOG_SQL, catalogParams(projectId, contents));
    if (rows.length === 0) return { project: null, offers: [] };
    const project = projectFromRow(rows[0], 'p_');
    const offers = rows.filter((row) => row.id !== null).map((row) => this.offerVersions.offerOf(row));
    return { project, offers };
  }

  /**
   * The viewer's entitlements to the products, in any status (expired and revoked ones give their reason):
   * served by entitlement_subject_created_idx (project_id, subject_id, ...).
   */
  async viewerEntitlements(
    projectId: string,
    subjectId: string,
    productIds: readonly string[],
  ): Promise<Entitlement[]> {
    if (productIds.length === 0) return [];
    const rows = await directQuery(this.em, VIEWER_ENTITLEMENTS_SQL, [
      projectId,
      subjectId,
      JSON.stringify(productIds),
    ]);
    return rows.map(entitlementFromRow);
  }
}

/**
 * The offers built from the catalog's rows, by row version, so that a decision reuses an unchanged offer (and what
 * is derived from it once, such as its wire form) instead of building it again on every playback. The row is still
 * read every time: a changed offer has a new version, so the cache is never stale and needs no invalidation across
 * instances. Bounded: past `max` offers, the oldest entry goes.
 */
export class OfferVersions {
  private readonly offers = new Map<string, { version: string; offer: Offer }>();

  constructor(private readonly max = 10_000) {}

  offerOf(row: Record<string, unknown>): Offer {
    const key = `${String(row.project_id)}/${String(row.id)}`;
    const version = String(row.o_version);
    const known = this.offers.get(key);
    if (known?.version === version) return known.offer;
    const offer = offerFromRow(row);
    if (known) this.offers.delete(key);
    else if (this.offers.size >= this.max) this.offers.delete(this.offers.keys().next().value!);
    this.offers.set(key, { version, offer });
    return offer;
  }
}
