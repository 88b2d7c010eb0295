import { Project, ProjectChange } from '@app/domain';
import { EntityManager, LockMode, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { directQuery } from '../direct-query';
import { KeysetPage, keysetPage } from '../keyset-page';
import { projectFromRow } from '../rows';

/** Projects (tenants). `em` is the injected EntityManager (the request's context inside a request). */
export class ProjectStore {
  constructor(private readonly em: EntityManager) {}

  /** Stores a new project; false when the id is taken. */
  async insert(project: Project): Promise<boolean> {
    try {
      await this.em.insert(Project, project);
      return true;
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return false;
      throw err;
    }
  }

  /**
   * One project, read straight through the driver (every CRM request's tenant guard and every Motto request's
   * project check read it; an update locks and re-reads it through the ORM).
   */
  async find(id: string): Promise<Project | null> {
    const [row] = await directQuery(this.em, 'select * from project where id = $1', [id]);
    return row ? projectFromRow(row) : null;
  }

  /** Ordered by id, keyset on it (`after`: the last id of the previous page); `only` limits to those ids. */
  list(opts: { only?: readonly string[]; after?: string; limit: number }): Promise<KeysetPage<Project, string>> {
    const where: Record<string, unknown> = {};
    if (opts.only) where.id = { $in: [...opts.only] };
    if (opts.after !== undefined) where.id = { ...(where.id as object), $gt: opts.after };
    return keysetPage(
      opts.limit,
      (take) => this.em.find(Project, where, { orderBy: { id: 'asc' }, limit: take }),
      (last) => last.id,
    );
  }

  /** Applies the change under the row lock; null when the project does not exist. */
  async update(id: string, change: ProjectChange): Promise<Project | null> {
    return this.em.transactional(async (em) => {
      const project = await em.findOne(Project, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!project) return null;
      project.change(change, new Date());
      await em.flush();
      return project;
    });
  }

  /**
   * Creates the project unless it exists (development mode's `demo`). Runs at start-up, outside any
   * request: on a fork of its own.
   */
  async ensure(id: string, name: string): Promise<void> {
    const project = new Project({ id, name });
    await this.em
      .fork()
      .createQueryBuilder(Project)
      .insert({
        id: project.id,
        name: project.name,
        settings: project.settings,
        createdAt: project.createdAt,
        updatedAt: project.updatedAt,
      })
      .onConflict('id')
      .ignore()
      .execute();
  }
}
