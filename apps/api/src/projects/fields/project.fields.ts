import { Project, PROJECT_ID_MAX, PROJECT_ID_MIN, PROJECT_ID_PATTERN, ProjectSettings } from '@app/domain';
import { formatTimestamp } from '../../common/rfc3339';
import { readProjectId } from '../../motto/wire/project-id';
import { documentFields, readFields, WireField, WireShape, wireNames, writeFields } from '../../motto/wire/wire-fields';
import { WireReader } from '../../motto/wire/wire-reader';

/**
 * The project (tenant) on the Motto-style wire, each field described once (see WireField): the create and
 * update readers, the response mapper and the request and response schemas derive from these tables.
 */

const TIME = { type: String, example: '2026-11-23T12:00:00Z', format: 'date-time' } as const;
export const PROJECT_NAME_MAX = 200;

export const SETTINGS_FIELDS = {
  device_specific_products: {
    key: 'deviceSpecificProducts',
    read: (r, wire) => r.boolean(wire),
    write: (s) => s.deviceSpecificProducts,
    request: {
      type: Boolean,
      default: false,
      description: 'CRM gateway: an entitlement with a deviceId applies to that device only.',
    },
    response: { type: Boolean, example: false },
  },
} satisfies Record<string, WireField<ProjectSettings>>;

export class ProjectSettingsDto {}
documentFields(ProjectSettingsDto, SETTINGS_FIELDS, 'request');

export class ProjectSettingsResponse {}
documentFields(ProjectSettingsResponse, SETTINGS_FIELDS, 'response');

/** The settings object of a request: only the settings it names (the others keep their value, or default). */
function readSettings(reader: WireReader, wire: string): Partial<ProjectSettings> | undefined {
  const settings = reader.object(wire, wireNames(SETTINGS_FIELDS));
  if (!settings) return undefined;
  const values = readFields(settings, SETTINGS_FIELDS, false);
  const named = Object.entries(SETTINGS_FIELDS).filter(([key]) => settings.has(key));
  return Object.fromEntries(named.map(([, field]) => [field.key, values[field.key]]));
}

export const PROJECT_FIELDS = {
  id: {
    key: 'id',
    read: readProjectId,
    write: (p) => p.id,
    request: {
      type: String,
      required: true,
      example: 'rtt-show',
      description: `Chosen by the caller: ${PROJECT_ID_MIN} to ${PROJECT_ID_MAX} lower-case letters, digits and single hyphens, starting with a letter. Unique.`,
      pattern: PROJECT_ID_PATTERN.source,
    },
    response: { type: String, example: 'rtt-show' },
    updatable: false,
  },
  name: {
    key: 'name',
    read: (r, wire, required) => r.string(wire, { min: 1, max: PROJECT_NAME_MAX, required }),
    write: (p) => p.name,
    request: { type: String, required: true, example: 'RTT Show', minLength: 1, maxLength: PROJECT_NAME_MAX },
    patch: { example: 'RTT Show (EU)' },
    response: { type: String, example: 'RTT Show' },
  },
  settings: {
    key: 'settings',
    // Partial: a create fills the defaults in, an update merges into the stored settings.
    read: readSettings as (r: WireReader, wire: string) => ProjectSettings,
    write: (p) => writeFields(p.settings, SETTINGS_FIELDS),
    request: { type: ProjectSettingsDto },
    response: { type: ProjectSettingsResponse },
  },
  create_time: { write: (p) => formatTimestamp(p.createdAt), response: TIME },
  update_time: { write: (p) => formatTimestamp(p.updatedAt), response: TIME },
} satisfies Record<string, WireField<Project>>;

/** Body of POST /iam/projects/v1. */
export class CreateProjectRequest {}
documentFields(CreateProjectRequest, PROJECT_FIELDS, 'request');

/** The `project` of an update: the updatable fields, all optional. */
export class ProjectPatchDto {}
documentFields(ProjectPatchDto, PROJECT_FIELDS, 'patch');

export class ProjectDto {}
documentFields(ProjectDto, PROJECT_FIELDS, 'response');

export type ProjectWire = WireShape<typeof PROJECT_FIELDS>;

export function toProjectDto(project: Project): ProjectWire {
  return writeFields(project, PROJECT_FIELDS);
}
