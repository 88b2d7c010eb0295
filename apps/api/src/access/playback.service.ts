import { ChangeContext, PlaybackStore, PlaybackTx } from '@app/database';
import {
  AccessDecision,
  AccessReason,
  allocateSlot,
  DomainError,
  Grant,
  PlaybackSession,
  rentalEndOf,
  SessionEndReason,
  ValidityType,
} from '@app/domain';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AccessService } from './access.service';
import { AccessCheckView } from './fields/access-response.fields';
import { AccessRequest } from './fields/access-request.fields';

export type SessionStart =
  | { granted: true; session: PlaybackSession; check: AccessCheckView }
  | { granted: false; check: AccessCheckView; live: PlaybackSession[] };

/** Sessions whose lease ran out this long ago are deleted by the background clean-up. */
const KEEP_ENDED_MS = 24 * 3600_000;
const CLEAN_UP_EVERY_MS = 10 * 60_000;

/**
 * Playback sessions: a granted decision takes a concurrent-stream slot of the granting entitlement for a
 * lease that heartbeats extend. Slots are counted and taken under the viewer's advisory lock in one short
 * transaction, so starts on any number of instances never exceed a limit; a lease that ran out stops counting
 * at once (no job is needed for correctness; one deletes old rows in the background).
 */
@Injectable()
export class PlaybackService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Playback');
  private cleanUpTimer?: NodeJS.Timeout;

  constructor(
    private readonly access: AccessService,
    private readonly store: PlaybackStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get leaseMs(): number {
    return this.config.playbackLeaseTtlS * 1000;
  }

  get heartbeatIntervalS(): number {
    return Math.max(1, Math.floor(this.config.playbackLeaseTtlS / 3));
  }

  async start(request: AccessRequest, ctx: ChangeContext): Promise<SessionStart> {
    const [check] = await this.access.check({ ...request, time: undefined });
    if (!check.decision.granted) return { granted: false, check, live: [] };
    const deviceId = request.deviceId!;
    return this.store.withViewerLock(request.projectId, request.userId, async (tx) => {
      const at = new Date();
      const live = await tx.liveSessions(at);
      const slot = allocateSlot(check.decision.grants, live, deviceId, request.onLimit);
      if (!slot.granted) {
        const refused: AccessDecision = { ...check.decision, granted: false, reason: AccessReason.ConcurrencyLimit };
        return { granted: false, check: { ...check, decision: refused }, live };
      }
      if (slot.replaces) await tx.endSession(slot.replaces, SessionEndReason.Replaced, at);
      if (slot.evicts) await tx.endSession(slot.evicts, SessionEndReason.Evicted, at);
      const grant = await this.startRental(tx, slot.grant, at, ctx);
      const session = new PlaybackSession({
        id: randomUUID(),
        projectId: request.projectId,
        subjectId: request.userId,
        entitlementId: grant.entitlement.id,
        offerId: grant.offer.id,
        deviceId,
        contentKind: check.content.kind,
        contentId: check.content.id,
        countryCode: request.countryCode,
        basis: grant.basis,
        startedAt: at,
        leaseUntil: new Date(at.getTime() + this.leaseMs),
        rentalUntil: grant.entitlement.validityType === ValidityType.Relative ? grant.validUntil : undefined,
      });
      await tx.insertSession(session);
      const decision: AccessDecision = {
        ...check.decision,
        grants: [grant, ...check.decision.grants.filter((g) => g !== slot.grant)],
      };
      return { granted: true, session, check: { ...check, decision } };
    });
  }

  /**
   * A RELATIVE rental's clock starts at its first session: firstView is recorded (with its history event) and
   * the grant's end becomes first view plus the offer's access period.
   */
  private async startRental(tx: PlaybackTx, grant: Grant, at: Date, ctx: ChangeContext): Promise<Grant> {
    if (grant.entitlement.validityType !== ValidityType.Relative || grant.entitlement.firstView) return grant;
    const entitlement = await tx.findByIdForUpdate(grant.entitlement.projectId, grant.entitlement.id);
    if (!entitlement) return grant;
    if (!entitlement.firstView) {
      entitlement.firstView = at;
      await tx.saveChange(entitlement, ctx);
    }
    return { ...grant, entitlement, validUntil: entitlement.accessWindow(rentalEndOf(grant.offer)).until };
  }

  /**
   * Extends the lease (one statement) while the session may go on; otherwise ends it with the reason, so
   * the player stops: EXPIRED (no heartbeat in time), ENTITLEMENT_REVOKED, ENTITLEMENT_EXPIRED.
   */
  async heartbeat(projectId: string, id: string): Promise<PlaybackSession> {
    const at = new Date();
    const extended = await this.store.heartbeat(projectId, id, at, new Date(at.getTime() + this.leaseMs));
    if (extended) return extended;
    const session = await this.store.get(projectId, id);
    if (!session) throw sessionNotFound(projectId, id);
    if (!session.endedAt) {
      const reason = await this.endReason(session, at);
      await this.store.end(projectId, id, reason, at);
      session.end(reason, at);
    }
    return session;
  }

  private async endReason(session: PlaybackSession, at: Date): Promise<SessionEndReason> {
    if (session.leaseUntil <= at) return SessionEndReason.Expired;
    const entitlement = await this.store.entitlementOf(session);
    if (!entitlement || !entitlement.isActive()) return SessionEndReason.EntitlementRevoked;
    return SessionEndReason.EntitlementExpired;
  }

  /** Releases the slot; stopping an ended session changes nothing. */
  async stop(projectId: string, id: string): Promise<PlaybackSession> {
    const session = await this.store.end(projectId, id, SessionEndReason.Stopped, new Date());
    if (!session) throw sessionNotFound(projectId, id);
    return session;
  }

  live(projectId: string, userId: string): Promise<PlaybackSession[]> {
    return this.store.live(projectId, userId, new Date());
  }

  onModuleInit(): void {
    this.cleanUpTimer = setInterval(() => void this.cleanUp(), CLEAN_UP_EVERY_MS);
    this.cleanUpTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.cleanUpTimer);
  }

  private async cleanUp(): Promise<void> {
    try {
      const deleted = await this.store.cleanUp(new Date(Date.now() - KEEP_ENDED_MS));
      if (deleted > 0) this.logger.log(`deleted ${deleted} old playback sessions`);
    } catch (err) {
      this.logger.warn(`playback session clean-up failed: ${(err as Error).message}`);
    }
  }
}

function sessionNotFound(projectId: string, id: string): DomainError {
  return DomainError.notFound(
    `playback session ${JSON.stringify(id)} does not exist in project ${JSON.stringify(projectId)}`,
  );
}
