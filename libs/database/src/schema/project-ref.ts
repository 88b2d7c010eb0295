import { Project } from '@app/domain';

/**
 * The project a row belongs to: a foreign key to `project` (a project with rows cannot be deleted), kept as
 * the project's id in the domain object.
 */
export const PROJECT_REF = {
  kind: 'm:1',
  entity: () => Project,
  mapToPk: true,
  fieldName: 'project_id',
  deleteRule: 'restrict',
  updateRule: 'no action',
} as const;
