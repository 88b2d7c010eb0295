/**
 * A half-open window of time [from, until): `from` is inside, `until` is not; an absent bound is open
 * (no start: valid from the beginning of time; no end: never expires). Back-to-back windows do not overlap.
 *
 * Where a rule must also run in SQL over many rows, its SQL lives in libs/database beside a reference to
 * the method here, and test/database/rules-agree.spec.ts checks that the two agree.
 */
export class ValidityWindow {
  readonly from?: Date;
  readonly until?: Date;

  constructor(bounds: { from?: Date | null; until?: Date | null } = {}) {
    // Stored rows give null for an absent bound.
    this.from = bounds.from ?? undefined;
    this.until = bounds.until ?? undefined;
  }

  /** Has the window begun at `at`? (An open start always has.) */
  hasStartedAt(at: Date): boolean {
    return !this.from || this.from <= at;
  }

  /** Is the window over at `at`? (An open end never is; `until` itself is outside.) */
  hasEndedAt(at: Date): boolean {
    return !!this.until && this.until <= at;
  }

  /** Is `at` inside the window? */
  contains(at: Date): boolean {
    return this.hasStartedAt(at) && !this.hasEndedAt(at);
  }

  /** Do the two windows share at least one instant? */
  overlaps(other: ValidityWindow): boolean {
    const thisStartsBeforeOtherEnds = !other.until || !this.from || this.from < other.until;
    const otherStartsBeforeThisEnds = !this.until || !other.from || other.from < this.until;
    return thisStartsBeforeOtherEnds && otherStartsBeforeThisEnds;
  }

  /** The window ending at `end` instead when `end` comes earlier (an absent `end` changes nothing). */
  endingBy(end: Date | undefined): ValidityWindow {
    if (!end || (this.until && this.until <= end)) return this;
    return new ValidityWindow({ from: this.from, until: end });
  }
}
