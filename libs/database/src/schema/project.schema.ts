import { EntitySchema } from '@mikro-orm/postgresql';
import { Project } from '@app/domain';

export const ProjectSchema = new EntitySchema<Project>({
  class: Project,
  tableName: 'project',
  properties: {
    id: { type: 'string', primary: true, length: 63 },
    name: { type: 'string', length: 200 },
    settings: { type: 'json' },
    createdAt: { type: 'Date', columnType: 'timestamptz(3)', fieldName: 'created_at' },
    updatedAt: { type: 'Date', columnType: 'timestamptz(3)', fieldName: 'updated_at' },
  },
});
