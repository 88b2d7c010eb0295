import { AccessBasis } from './access-decision';
import { ContentKind } from './content';

/** Why a playback session ended. */
export enum SessionEndReason {
  /** The player released it (DELETE). */
  Stopped = 'STOPPED',
  /** Another device took its slot (on_limit EVICT_OLDEST). */
  Evicted = 'EVICTED',
  /** The same device started another session on the same entitlement. */
  Replaced = 'REPLACED',
  /** No heartbeat before the lease ran out. */
  Expired = 'EXPIRED',
  /** The granting entitlement was revoked (or deleted). */
  EntitlementRevoked = 'ENTITLEMENT_REVOKED',
  /** The granting entitlement (or its RELATIVE rental) ran out. */
  EntitlementExpired = 'ENTITLEMENT_EXPIRED',
}

/**
 * One viewer's stream on one device: it holds a concurrent-stream slot of the granting entitlement while its
 * lease runs (heartbeats extend it). A lease that ran out stops counting at once; no job is needed for that.
 */
export class PlaybackSession {
  id: string;
  projectId: string;
  /** The viewer (Motto user_id, CRM accountId). */
  subjectId: string;
  entitlementId: string;
  offerId: string;
  deviceId: string;
  contentKind: ContentKind;
  contentId: string;
  countryCode: string;
  basis: AccessBasis;
  startedAt: Date;
  leaseUntil: Date;
  /** A RELATIVE rental's end, fixed when the session started; undefined: none. */
  rentalUntil?: Date;
  endedAt?: Date;
  endReason?: SessionEndReason;

  constructor(init: Omit<PlaybackSession, 'isLiveAt' | 'end'>) {
    Object.assign(this, init);
  }

  /** Does the session hold its slot at `at`: not ended, and its lease not run out. */
  isLiveAt(at: Date): boolean {
    return !this.endedAt && at < this.leaseUntil;
  }

  /**
   * Ends the session at `at` for `reason`, unless it has ended already. A session whose lease ran out before
   * `at` ended then, EXPIRED, whatever ends it later (a stop, a revocation noticed afterwards).
   */
  end(reason: SessionEndReason, at: Date): void {
    if (this.endedAt) return;
    const expired = this.leaseUntil <= at;
    this.endedAt = expired ? this.leaseUntil : at;
    this.endReason = expired ? SessionEndReason.Expired : reason;
  }
}
