import { Offer, OfferFields, OfferPart, offerWithParts } from '@app/domain';
import { isWireObject, quoted, Validated, validated } from '../motto/wire/wire';
import { updatableNames, WireFields, writeFields } from '../motto/wire/wire-fields';
import { OFFER_FIELDS } from './fields/offer.fields';
import { TARGET_FIELDS } from './fields/offer-target.fields';
import { validateOfferInput } from './offer-reader';

/**
 * Offer updates (PATCH with an update_mask, protobuf FieldMask semantics): the wire paths a mask may
 * name, derived from the field tables (map keys such as `localized_title.en` cannot be named one by
 * one), and their domain parts.
 */

const PARTS = new Map([...partsOf(OFFER_FIELDS, ''), ...partsOf(TARGET_FIELDS, 'target.')]) as ReadonlyMap<
  string,
  OfferPart
>;

/** [wire path, domain part] of each updatable field of a table, both under `prefix`. */
function partsOf<D>(fields: WireFields<D>, prefix: string): [string, string][] {
  return updatableNames(fields).map((wire) => [`${prefix}${wire}`, `${prefix}${String(fields[wire].key)}`]);
}

/** Wire paths an update_mask may name, top-level fields and the target's parts in table order. */
export const OFFER_UPDATABLE_PATHS: readonly string[] = [...PARTS.keys()].sort(
  (a, b) => topLevelIndex(a) - topLevelIndex(b),
);

function topLevelIndex(path: string): number {
  return Object.keys(OFFER_FIELDS).indexOf(path.split('.')[0]);
}

export function isOfferUpdatablePath(path: string): boolean {
  return PARTS.has(path);
}

/**
 * The top-level updatable fields present in a wire offer (null included: it clears the field), for an
 * API that reads an empty update_mask as "the fields sent".
 */
export function offerPathsPresent(input: unknown): string[] {
  if (!isWireObject(input)) return [];
  return OFFER_UPDATABLE_PATHS.filter((path) => !path.includes('.') && Object.hasOwn(input, path));
}

export interface OfferUpdateOptions {
  now?: Date;
  /** Prefix of the paths of cross-field violations, as for validateOfferInput. */
  pathPrefix?: string;
  /** Name of the mask in violations. Default: `update_mask`. */
  maskField?: string;
}

/**
 * The offer after an update, as a new Offer (the existing one is not modified), or every violation.
 * `patch` is the value of validateOfferInput(..., { partial: true }): a field named in the mask takes the
 * patch's value, so a field in the mask but absent from the body is reset to its default (FieldMask
 * semantics), and the result is validated as a whole, as on create. `*` names every updatable path.
 * updatedAt becomes `now`.
 */
export function applyOfferUpdate(
  existing: Offer,
  patch: OfferFields,
  mask: readonly string[],
  options: OfferUpdateOptions = {},
): Validated<Offer> {
  const maskViolations = mask
    .filter((path) => path !== '*' && !isOfferUpdatablePath(path))
    .map((path) => ({
      field: options.maskField ?? 'update_mask',
      description: `${quoted(path)} is not an updatable field path (updatable: ${OFFER_UPDATABLE_PATHS.join(', ')})`,
    }));
  if (maskViolations.length > 0) return { violations: maskViolations };
  const paths = mask.includes('*') ? OFFER_UPDATABLE_PATHS : mask;
  const next = offerWithParts(
    existing,
    patch,
    paths.map((path) => PARTS.get(path)!),
    options.now ?? new Date(),
  );
  // The merged offer must satisfy every rule of a created one (a masked `name` absent from the patch would
  // otherwise store ""): it is validated as a whole, as its wire form, under the patch's path prefix.
  const merged = validateOfferInput(writeFields(next, OFFER_FIELDS), { pathPrefix: options.pathPrefix });
  return validated(next, merged.violations);
}
