import { AccessBasis, ContentKind, PlaybackSession, SessionEndReason } from '@app/domain';
import { PROJECT_REF } from './project-ref';
import { EntitySchema } from '@mikro-orm/postgresql';

const ts = { type: 'Date', columnType: 'timestamptz(3)' } as const;

export const PlaybackSessionSchema = new EntitySchema<PlaybackSession>({
  class: PlaybackSession,
  tableName: 'playback_session',
  properties: {
    id: { type: 'uuid', primary: true },
    projectId: PROJECT_REF,
    subjectId: { type: 'string', length: 256, fieldName: 'subject_id' },
    // No foreign key: a session outlives a deleted entitlement (its next heartbeat says so).
    entitlementId: { type: 'string', length: 128, fieldName: 'entitlement_id' },
    offerId: { type: 'string', length: 64, fieldName: 'offer_id' },
    deviceId: { type: 'string', length: 256, fieldName: 'device_id' },
    contentKind: { enum: true, items: () => ContentKind, fieldName: 'content_kind' },
    contentId: { type: 'string', length: 256, fieldName: 'content_id' },
    countryCode: { type: 'string', columnType: 'char(2)', fieldName: 'country_code' },
    basis: { enum: true, items: () => AccessBasis },
    startedAt: { ...ts, fieldName: 'started_at' },
    leaseUntil: { ...ts, fieldName: 'lease_until' },
    rentalUntil: { ...ts, nullable: true, fieldName: 'rental_until' },
    endedAt: { ...ts, nullable: true, fieldName: 'ended_at' },
    endReason: { enum: true, items: () => SessionEndReason, nullable: true, fieldName: 'end_reason' },
  },
  indexes: [
    {
      // A viewer's sessions that may hold a slot (counted under the viewer's lock at every start).
      name: 'playback_session_viewer_idx',
      expression:
        'create index "playback_session_viewer_idx" on "playback_session" ("project_id", "subject_id", "lease_until") where "ended_at" is null',
    },
    // Background clean-up of old rows.
    { name: 'playback_session_lease_idx', properties: ['leaseUntil'] },
  ],
});
