import { DomainError, FieldViolation, ProjectSettings } from '@app/domain';
import { maskPaths } from '../motto/wire/field-mask';
import { readableNames, readFields, updatableNames, wireNames } from '../motto/wire/wire-fields';
import { WireReader } from '../motto/wire/wire-reader';
import { PROJECT_FIELDS, SETTINGS_FIELDS } from './fields/project.fields';

/** Reading the project requests of the Motto-style API, field by field from PROJECT_FIELDS. */

export interface NewProject {
  id: string;
  name: string;
  settings: ProjectSettings;
}

export interface ProjectChange {
  name?: string;
  settings?: Partial<ProjectSettings>;
}

/** Paths an update_mask may name: the updatable fields and each setting. */
const MASKABLE = [...updatableNames(PROJECT_FIELDS), ...wireNames(SETTINGS_FIELDS).map((key) => `settings.${key}`)];

function objectReader(body: unknown, known: readonly string[], violations: FieldViolation[]): WireReader {
  const reader = WireReader.of(body, '', known, violations);
  if (!reader) throw DomainError.invalidArgument([{ field: 'body', description: 'must be a JSON object' }]);
  return reader;
}

/** The body of POST /iam/projects/v1; every violation at once. */
export function readCreateProject(body: unknown): NewProject {
  const violations: FieldViolation[] = [];
  const project = readFields(objectReader(body, readableNames(PROJECT_FIELDS), violations), PROJECT_FIELDS, true);
  if (violations.length) throw DomainError.invalidArgument(violations);
  return {
    id: project.id!,
    name: project.name!,
    settings: { deviceSpecificProducts: project.settings?.deviceSpecificProducts ?? false },
  };
}

/**
 * The body of PATCH /iam/projects/v1/{id}: `{"project_id", "project": {...}, "update_mask"}`. Only the
 * masked paths change; an empty mask changes the fields present in `project`. A masked name must be given;
 * a masked setting absent from `project` returns to its default.
 */
export function readProjectChange(body: unknown, pathProjectId: string): ProjectChange {
  const violations: FieldViolation[] = [];
  const reader = objectReader(body, ['project_id', 'project', 'update_mask'], violations);
  const projectId = reader.string('project_id', { max: 63 });
  const rawMask = reader.string('update_mask', { max: 1000 });
  const project = reader.object('project', updatableNames(PROJECT_FIELDS));
  if (!project && !violations.some((v) => v.field === 'project')) reader.fail('project', 'is required');
  const given = project ? readFields(project, PROJECT_FIELDS, false) : {};
  if (violations.length) throw DomainError.invalidArgument(violations);

  if (projectId && projectId !== pathProjectId)
    throw DomainError.invalidField('project_id', 'must equal the project id in the path');
  const paths = maskPaths(rawMask);
  const unknown = paths.filter((p) => !MASKABLE.includes(p));
  if (unknown.length)
    throw DomainError.invalidField(
      'update_mask',
      `unknown path ${unknown.join(', ')} (allowed: ${MASKABLE.join(', ')})`,
    );

  const change: ProjectChange = {};
  if (paths.length === 0) {
    if (given.name !== undefined && project?.has('name')) change.name = given.name;
    if (given.settings?.deviceSpecificProducts !== undefined)
      change.settings = { deviceSpecificProducts: given.settings.deviceSpecificProducts };
    return change;
  }
  if (paths.includes('name')) {
    if (!project?.has('name')) throw DomainError.invalidField('project.name', 'is in update_mask but not given');
    change.name = given.name;
  }
  if (paths.includes('settings') || paths.includes('settings.device_specific_products')) {
    change.settings = { deviceSpecificProducts: given.settings?.deviceSpecificProducts ?? false };
  }
  return change;
}
