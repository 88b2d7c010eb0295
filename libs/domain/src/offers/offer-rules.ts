import { isTargetEmpty, Offer, OfferFields, OfferTarget } from './offer';

/** The limits an offer keeps, whichever API writes it (the database columns hold them too). */
export const OFFER_LIMITS = {
  nameMax: 200,
  localizedEntriesMax: 200,
  localizedTextMax: 1000,
  /** Asset ids, external references (Cleeng, Stripe, stores, ruleset), price ids, target ids. */
  idMax: 256,
  targetIdsMax: 1000,
  pricesMax: 100,
  countryCodesMax: 300,
} as const;

/** What can be wrong with an offer as a whole (rules that span fields). */
export enum OfferProblem {
  /** applies_to_all covers all content: a target would be contradictory. */
  TargetWithAppliesToAll = 'TARGET_WITH_APPLIES_TO_ALL',
  /** The content window ends at or before it starts. */
  ContentWindowReversed = 'CONTENT_WINDOW_REVERSED',
}

/** The rules that span fields; checked on create and on the offer an update produces. */
export function offerProblems(offer: Pick<OfferFields, 'appliesToAll' | 'target'>): OfferProblem[] {
  const problems: OfferProblem[] = [];
  if (offer.appliesToAll && !isTargetEmpty(offer.target)) problems.push(OfferProblem.TargetWithAppliesToAll);
  const { contentStartTime: start, contentEndTime: end } = offer.target;
  if (start && end && start.getTime() >= end.getTime()) problems.push(OfferProblem.ContentWindowReversed);
  return problems;
}

/** A part of an offer an update can replace: a field, or one part of the target. */
export type OfferPart = Exclude<keyof OfferFields, 'projectId' | 'target'> | 'target' | `target.${keyof OfferTarget}`;

/**
 * The offer after replacing `parts` with the patch's values, as a new Offer (the existing one is not
 * modified); updatedAt becomes `now`. The caller checks offerProblems on the result.
 */
export function offerWithParts(existing: Offer, patch: OfferFields, parts: readonly OfferPart[], now: Date): Offer {
  const next = new Offer({ ...existing, target: { ...existing.target }, updatedAt: now });
  for (const part of parts) {
    if (part === 'target') next.target = { ...patch.target };
    else if (part.startsWith('target.'))
      copy(next.target, patch.target, part.slice('target.'.length) as keyof OfferTarget);
    else copy(next, patch, part as keyof OfferFields);
  }
  return next;
}

function copy<T, K extends keyof T>(to: T, from: T, key: K): void {
  to[key] = from[key];
}
