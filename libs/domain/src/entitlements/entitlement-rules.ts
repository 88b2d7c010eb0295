import { Entitlement, EntitlementStatus, ValidityType } from './entitlement';

/** A half-open window [from, until); an absent bound is open. */
export interface ValidityWindow {
  from?: Date;
  until?: Date;
}

/** Do two windows share at least one instant? */
export function windowsOverlap(a: ValidityWindow, b: ValidityWindow): boolean {
  const aStartsBeforeBEnds = !b.until || !a.from || a.from < b.until;
  const bStartsBeforeAEnds = !a.until || !b.from || b.from < a.until;
  return aStartsBeforeBEnds && bStartsBeforeAEnds;
}

/** Is `at` inside the window? */
export function withinWindow(w: ValidityWindow, at: Date): boolean {
  return (!w.from || w.from <= at) && (!w.until || at < w.until);
}

/**
 * The window in which the entitlement grants access. ABSOLUTE (and Motto) entitlements: validFrom to
 * validUntil. RELATIVE ones, once first viewed, end at the earlier of validUntil and the rental end
 * (`rentalEnd(firstView)`, from the product's access period when one is known).
 */
export function accessWindow(e: Entitlement, rentalEnd?: (firstView: Date) => Date | undefined): ValidityWindow {
  const window: ValidityWindow = { from: e.validFrom, until: e.validUntil };
  if (e.validityType === ValidityType.Relative && e.firstView && rentalEnd) {
    const end = rentalEnd(e.firstView);
    if (end && (!window.until || end < window.until)) window.until = end;
  }
  return window;
}

/** Does the entitlement grant access at `at`? */
export function isEntitledAt(e: Entitlement, at: Date, rentalEnd?: (firstView: Date) => Date | undefined): boolean {
  return e.status === EntitlementStatus.Active && withinWindow(accessWindow(e, rentalEnd), at);
}

/**
 * Does the entitlement apply to `deviceId`? With device-specific products on, an entitlement with a
 * deviceId applies to that device only; otherwise (or without deviceId) to the whole account.
 */
export function appliesToDevice(e: Entitlement, deviceId: string | undefined, deviceSpecificProducts: boolean): boolean {
  if (!deviceSpecificProducts || !e.deviceId) return true;
  return e.deviceId === deviceId;
}
