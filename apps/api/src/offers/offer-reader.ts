import { FieldViolation, OfferFields, OfferProblem, offerProblems } from '@app/domain';
import {
  fieldPath,
  isWireObject,
  unknownFieldViolations,
  Validated,
  validated,
  wireTypeName,
} from '../motto/wire/wire';
import { readFields, wireNames } from '../motto/wire/wire-fields';
import { WireReader } from '../motto/wire/wire-reader';
import { OFFER_FIELDS } from './fields/offer.fields';

/**
 * Reading the wire (protobuf-JSON, snake_case) offer of create and update requests into the domain's
 * values, field by field from OFFER_FIELDS. Every problem is a FieldViolation named by its wire path as
 * the caller wrote it (`offer_prices[0].price.nanos`, `localized_title.EN`, `target.entity_ids[3]`).
 */

export interface OfferValidationOptions {
  /**
   * For an update: nothing is required, and the rules that span fields (applies_to_all against target,
   * the target window) are left to applyOfferUpdate, since they concern the offer after the update.
   */
  partial?: boolean;
  /** Prefix of every violation path, e.g. `offer` for the body `{"offer": {...}}`. Default: none. */
  pathPrefix?: string;
}

/** The wire offer as domain values, or every violation. */
export function validateOfferInput(input: unknown, options: OfferValidationOptions = {}): Validated<OfferFields> {
  const prefix = options.pathPrefix ?? '';
  if (!isWireObject(input)) {
    return {
      violations: [{ field: prefix || 'offer', description: `must be an object (got ${wireTypeName(input)})` }],
    };
  }
  const violations = unknownFieldViolations(input, wireNames(OFFER_FIELDS), prefix);
  const value = readFields(new WireReader(input, prefix, violations), OFFER_FIELDS, !options.partial) as OfferFields;
  if (!options.partial) violations.push(...offerProblemViolations(value, prefix));
  return validated(value, violations);
}

const PROBLEMS: Record<OfferProblem, FieldViolation> = {
  [OfferProblem.TargetWithAppliesToAll]: { field: 'target', description: 'must be empty when applies_to_all is true' },
  [OfferProblem.ContentWindowReversed]: {
    field: 'target.content_end_time',
    description: 'must be after target.content_start_time',
  },
};

/** The domain's offer-wide rules (offerProblems) as violations of wire paths below `pathPrefix`. */
export function offerProblemViolations(
  offer: Pick<OfferFields, 'appliesToAll' | 'target'>,
  pathPrefix = '',
): FieldViolation[] {
  return offerProblems(offer).map((problem) => ({
    ...PROBLEMS[problem],
    field: fieldPath(pathPrefix, PROBLEMS[problem].field),
  }));
}
