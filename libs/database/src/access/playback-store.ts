import { Entitlement, EntitlementStatus, PlaybackSession, SessionEndReason } from '@app/domain';
import { EntityManager } from '@mikro-orm/postgresql';
import { Db, directQuery, directTransaction } from '../direct-query';
import { insertRow } from '../direct-write';
import { EntitlementTx } from '../entitlements/entitlement-tx';
import { entitlementFromRow, playbackSessionFromRow } from '../rows';

/**
 * The operations of one session-start transaction, under the viewer's lock: the entitlement operations
 * (a RELATIVE rental's first view is recorded with its history event) and the viewer's sessions.
 */
export class PlaybackTx extends EntitlementTx {
  constructor(
    db: Db,
    private readonly projectId: string,
    private readonly subjectId: string,
  ) {
    super(db);
  }

  /** The viewer's sessions holding a slot at `at` (not ended, lease not run out), oldest first. */
  liveSessions(at: Date): Promise<PlaybackSession[]> {
    return liveSessionsOf(this.db, this.projectId, this.subjectId, at);
  }

  insertSession(session: PlaybackSession): Promise<void> {
    return insertRow(this.db, session);
  }

  /** Ends a session found here (live: it is read under the viewer's lock). */
  async endSession(session: PlaybackSession, reason: SessionEndReason, at: Date): Promise<void> {
    session.end(reason, at);
    await writeEnd(this.db, session);
  }
}

/** Writes the end of a session unless its row has ended already (its first end stays); did it write? */
async function writeEnd(db: Db, session: PlaybackSession): Promise<boolean> {
  const rows = await directQuery(
    db,
    `update playback_session set ended_at = $1, end_reason = $2
     where project_id = $3 and id = $4 and ended_at is null returning id`,
    [session.endedAt, session.endReason, session.projectId, session.id],
  );
  return rows.length > 0;
}

async function liveSessionsOf(db: Db, projectId: string, subjectId: string, at: Date): Promise<PlaybackSession[]> {
  const rows = await directQuery(
    db,
    `select * from playback_session where project_id = $1 and subject_id = $2 and ended_at is null and lease_until > $3
     order by started_at asc, id asc`,
    [projectId, subjectId, at],
  );
  return rows.map(playbackSessionFromRow);
}

/**
 * SQL of the heartbeat's conditions: the session is not ended, its lease and any RELATIVE rental have not run
 * out, and its entitlement is still active and unexpired (Entitlement.isEntitledAt without the device, which
 * the session start checked). One statement extends the lease when they all hold.
 */
const HEARTBEAT_SQL = `
update playback_session s set lease_until = $1
where s.id = $2 and s.project_id = $3 and s.ended_at is null and s.lease_until > $4
  and (s.rental_until is null or s.rental_until > $4)
  and exists (
    select 1 from entitlement e
    where e.project_id = s.project_id and e.id = s.entitlement_id and e.status = '${EntitlementStatus.Active}'
      and (e.valid_until is null or e.valid_until > $4) and (e.valid_from is null or e.valid_from <= $4)
  )
returning s.*`;

/** Session ids are UUIDs: anything else is simply not found (and never reaches a uuid column). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Playback sessions: starts under the viewer's lock, heartbeats, stops, lists, clean-up. */
export class PlaybackStore {
  constructor(private readonly em: EntityManager) {}

  /**
   * One transaction holding the viewer's advisory lock: session starts of one viewer, on any instance, run
   * one after the other, so counting the live sessions and taking a slot cannot race.
   */
  withViewerLock<T>(projectId: string, subjectId: string, work: (tx: PlaybackTx) => Promise<T>): Promise<T> {
    return directTransaction(this.em, async (db) => {
      const tx = new PlaybackTx(db, projectId, subjectId);
      await tx.lockKey(`playback:${projectId}:${subjectId}`);
      return work(tx);
    });
  }

  async get(projectId: string, id: string): Promise<PlaybackSession | null> {
    if (!UUID.test(id)) return null;
    const [row] = await directQuery(this.em, 'select * from playback_session where project_id = $1 and id = $2', [
      projectId,
      id,
    ]);
    return row ? playbackSessionFromRow(row) : null;
  }

  /** The viewer's live sessions at `at`. */
  live(projectId: string, subjectId: string, at: Date): Promise<PlaybackSession[]> {
    return liveSessionsOf(this.em, projectId, subjectId, at);
  }

  /** Extends the lease to `leaseUntil` when the session may go on (one statement); null: it may not. */
  async heartbeat(projectId: string, id: string, at: Date, leaseUntil: Date): Promise<PlaybackSession | null> {
    if (!UUID.test(id)) return null;
    const rows = await directQuery(this.em, HEARTBEAT_SQL, [leaseUntil, id, projectId, at]);
    return rows.length > 0 ? playbackSessionFromRow(rows[0]) : null;
  }

  /** The entitlement that granted the session (null: deleted since). */
  async entitlementOf(session: PlaybackSession): Promise<Entitlement | null> {
    const [row] = await directQuery(this.em, 'select * from entitlement where project_id = $1 and id = $2', [
      session.projectId,
      session.entitlementId,
    ]);
    return row ? entitlementFromRow(row) : null;
  }

  /**
   * Ends the session with `reason` unless it has ended already; null when there is no such session. A session
   * ended meanwhile (a concurrent stop) keeps its first end: the update only writes a session not yet ended.
   */
  async end(projectId: string, id: string, reason: SessionEndReason, at: Date): Promise<PlaybackSession | null> {
    const session = await this.get(projectId, id);
    if (!session) return null;
    if (!session.endedAt) {
      session.end(reason, at);
      return (await writeEnd(this.em, session)) ? session : this.get(projectId, id);
    }
    return session;
  }

  /** Deletes sessions whose lease ran out before `before` (background clean-up); how many. */
  async cleanUp(before: Date, limit = 10_000): Promise<number> {
    // Background work: its own context, not a request's.
    const rows = await this.em
      .fork()
      .execute<{ id: string }[]>(
        'delete from playback_session where id in (select id from playback_session where lease_until < ? limit ?) returning id',
        [before, limit],
      );
    return rows.length;
  }
}
