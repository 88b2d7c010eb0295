import {
  AccessBasis,
  AccessDecision,
  AccessReason,
  Content,
  Offer,
  PlaybackSession,
  SessionEndReason,
} from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MottoErrorDto } from '../../motto/motto-error';
import { formatTimestamp } from '../../common/rfc3339';
import { toEntitlementDto } from '../../entitlements/entitlement-wire';
import { EntitlementDto } from '../../entitlements/fields/entitlement.fields';
import { documentFields, WireField, writeFields } from '../../motto/wire/wire-fields';
import { OfferDto } from '../../offers/fields/offer.fields';
import { jsonArray, jsonObject, JsonText } from '../../common/json-text';
import { toOfferDto } from '../../offers/offer-wire';
import { CONTENT_FIELDS, ContentRefDto } from './access-request.fields';

/** The responses of the access decision and of playback sessions, each field described once (see WireField). */

const TIME = { type: String, format: 'date-time' } as const;

/**
 * The wire form of each offer a decision lists, serialised once per offer object: the catalog hands out the same
 * object for an unchanged offer row (OfferVersions), so a paywall of popular offers is neither rebuilt nor
 * serialised again per playback (responses splice the text: jsonObject).
 */
const offerTexts = new WeakMap<Offer, JsonText>();
function offerText(offer: Offer): JsonText {
  let text = offerTexts.get(offer);
  if (!text) {
    text = JsonText.of(toOfferDto(offer));
    offerTexts.set(offer, text);
  }
  return text;
}
const time = (d: Date | undefined) => (d ? formatTimestamp(d) : null);

/** One decision about one content. */
export interface AccessCheckView {
  content: Content;
  decision: AccessDecision;
}

export const ACCESS_CHECK_RESULT_FIELDS = {
  content: {
    write: (v) => writeFields(v.content, CONTENT_FIELDS),
    response: { type: ContentRefDto, description: 'The content decided about.' },
  },
  granted: {
    write: (v) => v.decision.granted,
    response: { type: Boolean, example: true },
  },
  reason: {
    write: (v) => v.decision.reason,
    response: {
      enum: AccessReason,
      enumName: 'AccessReason',
      example: AccessReason.Granted,
      description:
        'GRANTED; NO_OFFER (no offer covers the content: not for sale); ENTITLEMENT_MISSING (for sale, not bought); ' +
        'ENTITLEMENT_EXPIRED (ended or revoked); NOT_YET_VALID; DEVICE_NOT_ALLOWED (a device-specific entitlement of ' +
        'another device); GEO_BLOCKED; CONCURRENCY_LIMIT (session starts only).',
    },
  },
  basis: {
    write: (v) => v.decision.grants[0]?.basis ?? null,
    response: {
      type: String,
      enum: [...Object.values(AccessBasis), null],
      nullable: true,
      example: AccessBasis.Entitlement,
      description: 'ENTITLEMENT, or EU_PORTABILITY (Regulation (EU) 2017/1128); null when refused.',
    },
  },
  entitlement: {
    write: (v) => (v.decision.grants[0] ? toEntitlementDto(v.decision.grants[0].entitlement) : null),
    response: { type: EntitlementDto, nullable: true, description: 'The granting entitlement; null when refused.' },
  },
  offer_id: {
    write: (v) => v.decision.grants[0]?.offer.id ?? null,
    response: {
      type: String,
      nullable: true,
      example: '0f5c2a1e-6a8b-4a71-9a53-0c1b8a0e2d11',
      description: 'The granting offer.',
    },
  },
  valid_until: {
    write: (v) => time(v.decision.grants[0]?.validUntil),
    response: {
      ...TIME,
      nullable: true,
      example: '2026-12-31T23:00:00Z',
      description:
        "When access ends (a RELATIVE rental: first view plus the offer's access period); null: open or refused.",
    },
  },
  concurrency_limit: {
    write: (v) => v.decision.grants[0]?.concurrencyLimit ?? null,
    response: {
      type: String,
      format: 'int64',
      nullable: true,
      example: '2',
      description:
        "Concurrent streams allowed: the entitlement's limit, else its offer's; null: unlimited (or refused).",
    },
  },
  offers: {
    write: (v) => jsonArray(v.decision.offers.map(offerText)),
    response: {
      type: [OfferDto],
      description:
        'The published offers that would grant this content in this country, highest priority first (a paywall).',
    },
  },
} satisfies Record<string, WireField<AccessCheckView>>;

export class AccessCheckDto {}
documentFields(AccessCheckDto, ACCESS_CHECK_RESULT_FIELDS, 'response');

/** A decision's JSON text (AccessCheckDto), its paywall spliced from the offers' texts. */
export const accessCheckText = (check: AccessCheckView): JsonText =>
  jsonObject(writeFields(check, ACCESS_CHECK_RESULT_FIELDS));

export enum SessionState {
  Active = 'ACTIVE',
  Ended = 'ENDED',
}

/** A session as of `at`, with the heartbeat interval players should keep. */
export interface SessionView {
  session: PlaybackSession;
  at: Date;
  heartbeatIntervalS: number;
}

const ended = (v: SessionView) => !v.session.isLiveAt(v.at);

export const SESSION_FIELDS = {
  id: {
    write: (v) => v.session.id,
    response: { type: String, format: 'uuid', example: '3d6f0a52-8c1e-4f7e-9a55-2b1f0c9d8e7a' },
  },
  project_id: { write: (v) => v.session.projectId, response: { type: String, example: 'rtt-show' } },
  user_id: { write: (v) => v.session.subjectId, response: { type: String, example: 'user-8d2f' } },
  device_id: { write: (v) => v.session.deviceId, response: { type: String, example: 'tv-livingroom-5f2a' } },
  content: {
    write: (v) => ({ kind: v.session.contentKind, id: v.session.contentId }),
    response: { type: ContentRefDto },
  },
  offer_id: { write: (v) => v.session.offerId, response: { type: String, description: 'The granting offer.' } },
  basis: { write: (v) => v.session.basis, response: { enum: AccessBasis, enumName: 'AccessBasis' } },
  start_time: {
    write: (v) => formatTimestamp(v.session.startedAt),
    response: { ...TIME, example: '2026-11-29T20:00:00Z' },
  },
  expire_time: {
    write: (v) => formatTimestamp(v.session.leaseUntil),
    response: {
      ...TIME,
      example: '2026-11-29T20:01:30Z',
      description: 'The lease: the slot is freed at this time unless a heartbeat extends it.',
    },
  },
  heartbeat_interval: {
    write: (v) => `${v.heartbeatIntervalS}s`,
    response: { type: String, example: '30s', description: 'How often to send a heartbeat (a protobuf Duration).' },
  },
  state: {
    write: (v) => (ended(v) ? SessionState.Ended : SessionState.Active),
    response: {
      enum: SessionState,
      enumName: 'PlaybackSessionState',
      description: 'ENDED: stop playing (see end_reason).',
    },
  },
  end_reason: {
    write: (v) => v.session.endReason ?? (ended(v) ? SessionEndReason.Expired : null),
    response: {
      type: String,
      // OpenAPI 3.0: a nullable enum lists null among its values.
      enum: [...Object.values(SessionEndReason), null],
      nullable: true,
      example: SessionEndReason.Evicted,
      description:
        'STOPPED, EVICTED (another device took the slot), REPLACED (this device started again), EXPIRED (no heartbeat in ' +
        'time), ENTITLEMENT_REVOKED, ENTITLEMENT_EXPIRED; null while active.',
    },
  },
} satisfies Record<string, WireField<SessionView>>;

export class PlaybackSessionDto {}
documentFields(PlaybackSessionDto, SESSION_FIELDS, 'response');

export class AccessCheckResponse {
  @ApiProperty({ type: AccessCheckDto })
  access_check: AccessCheckDto;
}

export class BatchAccessCheckResponse {
  @ApiProperty({ type: [AccessCheckDto], description: 'One decision per content, in request order.' })
  access_checks: AccessCheckDto[];
}

export class PlaybackSessionResponse {
  @ApiProperty({ type: PlaybackSessionDto })
  playback_session: PlaybackSessionDto;
}

export class StartPlaybackSessionResponse extends PlaybackSessionResponse {
  @ApiProperty({ type: AccessCheckDto, description: 'The decision that granted it.' })
  access_check: AccessCheckDto;
}

export class ListPlaybackSessionsResponse {
  @ApiProperty({ type: [PlaybackSessionDto], description: "The viewer's live sessions, oldest first." })
  playback_sessions: PlaybackSessionDto[];
}

/**
 * A 403 of a session start: a refused decision (its `access_check`, and for CONCURRENCY_LIMIT the
 * `active_sessions` holding the slots), or a token without the role or project (the plain error body).
 */
export class PlaybackRefusalDto extends MottoErrorDto {
  @ApiPropertyOptional({ type: AccessCheckDto, description: 'The refused decision: its reason says why.' })
  access_check?: AccessCheckDto;
  @ApiPropertyOptional({
    type: [PlaybackSessionDto],
    description: "The viewer's live sessions (for CONCURRENCY_LIMIT: stop one to free a slot); empty otherwise.",
  })
  active_sessions?: PlaybackSessionDto[];
}
