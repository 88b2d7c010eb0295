import { Grant } from './access-decision';

/** A playback session that holds a concurrent-stream slot of an entitlement (its lease has not expired). */
export interface LiveSession {
  id: string;
  entitlementId: string;
  deviceId: string;
  startedAt: Date;
}

/** What to do when every slot is taken. */
export enum OnLimit {
  Refuse = 'REFUSE',
  /** End the oldest session of the preferred entitlement; its next heartbeat answers EVICTED. */
  EvictOldest = 'EVICT_OLDEST',
}

export type SlotAllocation<S extends LiveSession = LiveSession> =
  { granted: true; grant: Grant; replaces?: S; evicts?: S } | { granted: false };

/**
 * Which granting entitlement a new session of `deviceId` takes a slot of. Slots count live sessions, one per
 * device: a device that already streams on a granting entitlement replaces its own session (no second slot).
 * Otherwise the first grant (preferred order) with a free slot; when none has one, refused, or with
 * EVICT_OLDEST the oldest session of the preferred grant makes room.
 */
export function allocateSlot<S extends LiveSession>(
  grants: readonly Grant[],
  live: readonly S[],
  deviceId: string,
  onLimit: OnLimit,
): SlotAllocation<S> {
  const sessionsOf = (grant: Grant) => live.filter((s) => s.entitlementId === grant.entitlement.id);
  for (const grant of grants) {
    const own = sessionsOf(grant).find((s) => s.deviceId === deviceId);
    if (own) return { granted: true, grant, replaces: own };
  }
  const free = grants.find((g) => !g.concurrencyLimit || BigInt(sessionsOf(g).length) < BigInt(g.concurrencyLimit));
  if (free) return { granted: true, grant: free };
  if (onLimit === OnLimit.EvictOldest && grants.length > 0) {
    const [oldest] = [...sessionsOf(grants[0])].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
    if (oldest) return { granted: true, grant: grants[0], evicts: oldest };
  }
  return { granted: false };
}
