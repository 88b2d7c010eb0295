import { Content, ContentKind, COUNTRY_CODE_DESCRIPTION, FieldViolation, isCountryCode, OnLimit } from '@app/domain';
import { indexPath } from '../../motto/wire/wire';
import { documentFields, readableNames, readFields, WireField } from '../../motto/wire/wire-fields';
import { WireReader } from '../../motto/wire/wire-reader';

/**
 * The requests of the access decision and of playback sessions on the Motto-style wire, each field
 * described once (see WireField): the readers and the request schemas derive from these tables.
 */

const ID = { min: 1, max: 256 } as const;
const MAX_ENTITY_IDS = 100;
export const MAX_BATCH_CONTENTS = 100;

export const CONTENT_FIELDS = {
  kind: {
    key: 'kind',
    read: (r, wire) => r.enumName(wire, Object.values(ContentKind), ContentKind.Event, true),
    request: { enum: ContentKind, enumName: 'ContentKind', required: true, example: ContentKind.Event },
    response: { enum: ContentKind, enumName: 'ContentKind', example: ContentKind.Event },
    write: (c) => c.kind,
  },
  id: {
    key: 'id',
    read: (r, wire) => r.string(wire, { ...ID, required: true }),
    request: { type: String, required: true, example: 'event-2024-08-17-final', maxLength: 256 },
    response: { type: String, example: 'event-2024-08-17-final' },
    write: (c) => c.id,
  },
  entity_ids: {
    key: 'entityIds',
    read: (r, wire) => r.stringList(wire, { maxItems: MAX_ENTITY_IDS, maxLength: 256 }),
    request: {
      type: [String],
      example: ['team-rtt-fc', 'league-1'],
      maxItems: MAX_ENTITY_IDS,
      description: 'The entities (teams, competitions, channels...) the content belongs to.',
    },
  },
  start_time: {
    key: 'startTime',
    read: (r, wire) => r.timestamp(wire),
    request: {
      type: String,
      format: 'date-time',
      example: '2024-08-17T19:00:00Z',
      description: 'When the content starts or was published: offers with a content window cover it only inside it.',
    },
  },
} satisfies Record<string, WireField<Content>>;

export class ContentInput {}
documentFields(ContentInput, CONTENT_FIELDS, 'request');

/** The content a decision was about: its kind and id. */
export class ContentRefDto {}
documentFields(ContentRefDto, CONTENT_FIELDS, 'response');

const NO_CONTENT: Content = { kind: ContentKind.Event, id: '', entityIds: [] };

/** A content object at `path` (its violations recorded). */
function readContentAt(value: unknown, path: string, violations: FieldViolation[]): Content {
  const reader = WireReader.of(value, path, readableNames(CONTENT_FIELDS), violations);
  return reader ? (readFields(reader, CONTENT_FIELDS, true) as Content) : NO_CONTENT;
}

/** The content object of a request: required. */
function readContent(reader: WireReader, wire: string): Content {
  const value = reader.raw(wire);
  if (value === undefined) {
    reader.fail(wire, 'is required');
    return NO_CONTENT;
  }
  return readContentAt(value, reader.pathOf(wire), reader.violations);
}

/** Who asks to watch, where, on what, when (the common part of checks and session starts). */
export interface AccessRequest {
  projectId: string;
  userId: string;
  contents: Content[];
  countryCode: string;
  deviceId?: string;
  time?: Date;
  onLimit: OnLimit;
}

function readCountry(r: WireReader, wire: string): string {
  const value = r.string(wire, { min: 1, max: 2, required: true });
  if (value && !isCountryCode(value)) r.fail(wire, COUNTRY_CODE_DESCRIPTION);
  return value;
}

const COMMON = {
  project_id: {
    key: 'projectId',
    read: (r, wire) => r.string(wire, { min: 1, max: 63, required: true }),
    request: { type: String, required: true, example: 'rtt-show' },
  },
  user_id: {
    key: 'userId',
    read: (r, wire) => r.string(wire, { ...ID, required: true }),
    request: {
      type: String,
      required: true,
      example: 'user-8d2f',
      description: "The viewer: the user id of the end user's JWT (a CRM accountId works too).",
    },
  },
} satisfies Record<string, WireField<AccessRequest>>;

const WHERE = {
  country_code: {
    key: 'countryCode',
    read: readCountry,
    request: {
      type: String,
      required: true,
      example: 'FR',
      description: "The viewer's country as the caller's geo-IP sees it (ISO 3166-1 alpha-2, upper case).",
    },
  },
  device_id: {
    key: 'deviceId',
    read: (r, wire) => r.string(wire, { max: 256 }) || undefined,
    request: {
      type: String,
      example: 'tv-livingroom-5f2a',
      maxLength: 256,
      description: 'A stable id of the device (device-specific entitlements; one concurrent stream per device).',
    },
  },
} satisfies Record<string, WireField<AccessRequest>>;

const TIME = {
  key: 'time',
  read: (r: WireReader, wire: string) => r.timestamp(wire),
  request: {
    type: String,
    format: 'date-time',
    example: '2026-11-29T20:00:00Z',
    description: 'Decide as of this time; default now.',
  },
} satisfies WireField<AccessRequest>;

const oneContent = (required: boolean) =>
  ({
    key: 'contents',
    read: (r: WireReader, wire: string) => [readContent(r, wire)],
    request: { type: ContentInput, required },
  }) satisfies WireField<AccessRequest>;

export const ACCESS_CHECK_FIELDS = {
  ...COMMON,
  content: oneContent(true),
  ...WHERE,
  time: TIME,
} satisfies Record<string, WireField<AccessRequest>>;

export const BATCH_CHECK_FIELDS = {
  ...COMMON,
  contents: {
    key: 'contents',
    read: (r, wire) => {
      const before = r.violations.length;
      const items = r.array(wire, MAX_BATCH_CONTENTS);
      if (items.length === 0 && r.violations.length === before)
        r.fail(wire, `must list 1 to ${MAX_BATCH_CONTENTS} contents`);
      return items.map((item, i) => readContentAt(item, indexPath(r.pathOf(wire), i), r.violations));
    },
    request: { type: [ContentInput], required: true, minItems: 1, maxItems: MAX_BATCH_CONTENTS },
  },
  ...WHERE,
  time: TIME,
} satisfies Record<string, WireField<AccessRequest>>;

export const SESSION_START_FIELDS = {
  ...COMMON,
  content: oneContent(true),
  country_code: WHERE.country_code,
  device_id: {
    ...WHERE.device_id,
    read: (r, wire) => r.string(wire, { ...ID, required: true }),
    request: { ...WHERE.device_id.request, required: true },
  },
  on_limit: {
    key: 'onLimit',
    read: (r, wire) => r.enumName(wire, Object.values(OnLimit), OnLimit.Refuse),
    request: {
      enum: OnLimit,
      enumName: 'OnLimit',
      example: OnLimit.Refuse,
      description:
        'When every concurrent-stream slot is taken: REFUSE (default), or EVICT_OLDEST to end the oldest session.',
    },
  },
} satisfies Record<string, WireField<AccessRequest>>;

export class CheckAccessRequest {}
documentFields(CheckAccessRequest, ACCESS_CHECK_FIELDS, 'request');

export class BatchCheckAccessRequest {}
documentFields(BatchCheckAccessRequest, BATCH_CHECK_FIELDS, 'request');

export class StartPlaybackSessionRequest {}
documentFields(StartPlaybackSessionRequest, SESSION_START_FIELDS, 'request');
