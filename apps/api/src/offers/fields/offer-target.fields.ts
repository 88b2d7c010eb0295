import { emptyTarget, OFFER_LIMITS, OfferTarget } from '@app/domain';
import { formatTimestamp } from '../../common/rfc3339';
import { documentFields, readFields, WireField, wireNames } from '../../motto/wire/wire-fields';
import { WireReader } from '../../motto/wire/wire-reader';

/** The offer's target on the wire (see WireField): the content covered, when applies_to_all is false. */

const TIME = { type: String, format: 'date-time' } as const;
const TARGET_IDS = { maxItems: OFFER_LIMITS.targetIdsMax, maxLength: OFFER_LIMITS.idMax };
const targetIds = (r: WireReader, wire: string) => r.stringList(wire, TARGET_IDS);

export const TARGET_FIELDS = {
  entity_ids: {
    key: 'entityIds',
    read: targetIds,
    write: (t) => [...t.entityIds],
    request: {
      type: [String],
      example: ['team-rtt-fc'],
      maxItems: OFFER_LIMITS.targetIdsMax,
      description: `Non-empty ids of at most ${OFFER_LIMITS.idMax} characters.`,
    },
    response: {
      type: [String],
      example: ['team-rtt-fc'],
      description: 'Entities (teams, competitions, channels...) whose content the offer covers.',
    },
  },
  event_ids: {
    key: 'eventIds',
    read: targetIds,
    write: (t) => [...t.eventIds],
    request: { type: [String], example: ['event-2024-08-17-final'], maxItems: OFFER_LIMITS.targetIdsMax },
    response: { type: [String], example: ['event-2024-08-17-final'] },
  },
  creative_work_ids: {
    key: 'creativeWorkIds',
    read: targetIds,
    write: (t) => [...t.creativeWorkIds],
    request: { type: [String], example: ['cw-highlights-2024'], maxItems: OFFER_LIMITS.targetIdsMax },
    response: { type: [String], example: ['cw-highlights-2024'] },
  },
  content_start_time: {
    key: 'contentStartTime',
    read: (r, wire) => r.timestamp(wire),
    write: (t) => (t.contentStartTime ? formatTimestamp(t.contentStartTime) : null),
    request: { ...TIME, example: '2024-08-01T00:00:00Z', description: 'Must be before content_end_time.' },
    response: {
      ...TIME,
      nullable: true,
      example: '2024-08-01T00:00:00Z',
      description: 'Content published from this moment on; null: no lower bound.',
    },
  },
  content_end_time: {
    key: 'contentEndTime',
    read: (r, wire) => r.timestamp(wire),
    write: (t) => (t.contentEndTime ? formatTimestamp(t.contentEndTime) : null),
    request: { ...TIME, example: '2025-06-30T23:59:59Z' },
    response: {
      ...TIME,
      nullable: true,
      example: '2025-06-30T23:59:59Z',
      description: 'Content published before this moment; null: no upper bound.',
    },
  },
} satisfies Record<string, WireField<OfferTarget>>;

export class OfferTargetInput {}
documentFields(OfferTargetInput, TARGET_FIELDS, 'request');

export class OfferTargetDto {}
documentFields(OfferTargetDto, TARGET_FIELDS, 'response');

/** The target object of a request; absent: the empty target. */
export function readTarget(reader: WireReader, wire: string): OfferTarget {
  const target = reader.object(wire, wireNames(TARGET_FIELDS));
  return target ? { ...emptyTarget(), ...readFields(target, TARGET_FIELDS, false) } : emptyTarget();
}
