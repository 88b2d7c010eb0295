import { DomainError, DomainErrorCode, Project, ProjectSettings } from '@app/domain';
import { EntityManager, LockMode, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

export interface ProjectPage {
  projects: Project[];
  /** Id of the last project returned when more may follow. */
  nextAfter?: string;
}

@Injectable()
export class ProjectsService {
  constructor(private readonly em: EntityManager) {}

  async create(input: { id: string; name: string; settings: ProjectSettings }): Promise<Project> {
    const project = new Project(input);
    try {
      await this.em.fork().insert(Project, project);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        throw new DomainError(DomainErrorCode.AlreadyExists, `project ${JSON.stringify(input.id)} already exists`);
      }
      throw err;
    }
    return project;
  }

  async find(id: string): Promise<Project | null> {
    return this.em.findOne(Project, { id });
  }

  /** The project, or not_found. */
  async get(id: string): Promise<Project> {
    const project = await this.find(id);
    if (!project) throw DomainError.notFound(`project ${JSON.stringify(id)} does not exist`);
    return project;
  }

  /** Ordered by id; keyset pagination (`after` is the last id of the previous page). */
  async list(opts: { only?: readonly string[]; after?: string; limit: number }): Promise<ProjectPage> {
    const where: Record<string, unknown> = {};
    if (opts.only) where.id = { $in: [...opts.only] };
    if (opts.after !== undefined) where.id = { ...(where.id as object), $gt: opts.after };
    const rows = await this.em.find(Project, where, { orderBy: { id: 'asc' }, limit: opts.limit + 1 });
    const more = rows.length > opts.limit;
    const projects = rows.slice(0, opts.limit);
    return { projects, nextAfter: more ? projects[projects.length - 1].id : undefined };
  }

  async update(id: string, change: { name?: string; settings?: Partial<ProjectSettings> }): Promise<Project> {
    return this.em.transactional(async (em) => {
      const project = await em.findOne(Project, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!project) throw DomainError.notFound(`project ${JSON.stringify(id)} does not exist`);
      if (change.name !== undefined) project.name = change.name;
      if (change.settings) project.settings = { ...project.settings, ...change.settings };
      project.updatedAt = new Date();
      await em.flush();
      return project;
    });
  }

  /** Creates the project unless it exists (development mode's `demo`). */
  async ensure(id: string, name: string): Promise<void> {
    const project = new Project({ id, name });
    await this.em
      .fork()
      .createQueryBuilder(Project)
      .insert({ id: project.id, name: project.name, settings: project.settings, createdAt: project.createdAt, updatedAt: project.updatedAt })
      .onConflict('id')
      .ignore()
      .execute();
  }
}
