import { ProjectStore } from '@app/database';
import { DomainError, DomainErrorCode, Project, ProjectChange, ProjectSettings } from '@app/domain';
import { Injectable } from '@nestjs/common';

export interface ProjectPage {
  projects: Project[];
  /** Id of the last project returned when more may follow. */
  nextAfter?: string;
}

function projectNotFound(id: string): DomainError {
  return DomainError.notFound(`project ${JSON.stringify(id)} does not exist`);
}

/** How many project ids an instance remembers as existing (a bound, not a tuning knob). */
const KNOWN_MAX = 100_000;

@Injectable()
export class ProjectsService {
  /**
   * Projects known to exist. A project is never deleted (no API deletes one, and every resource's rows
   * reference it ON DELETE RESTRICT), so existence seen once holds for the life of the process, on every
   * instance: the Motto-style writes and lists skip that round trip. Only existence is remembered; settings
   * are always read fresh.
   */
  private readonly known = new Set<string>();

  constructor(private readonly store: ProjectStore) {}

  async create(input: { id: string; name: string; settings: ProjectSettings }): Promise<Project> {
    const project = new Project(input);
    if (!(await this.store.insert(project))) {
      throw new DomainError(DomainErrorCode.AlreadyExists, `project ${JSON.stringify(input.id)} already exists`);
    }
    return project;
  }

  async find(id: string): Promise<Project | null> {
    return this.store.find(id);
  }

  /** The project, or not_found. */
  async get(id: string): Promise<Project> {
    const project = await this.find(id);
    if (!project) throw projectNotFound(id);
    return project;
  }

  /** Nothing, or not_found: the project exists (remembered once seen). */
  async requireExists(id: string): Promise<void> {
    if (this.known.has(id)) return;
    await this.get(id);
    if (this.known.size < KNOWN_MAX) this.known.add(id);
  }

  /** Ordered by id; keyset pagination (`after` is the last id of the previous page). */
  async list(opts: { only?: readonly string[]; after?: string; limit: number }): Promise<ProjectPage> {
    const page = await this.store.list(opts);
    return { projects: page.items, nextAfter: page.next };
  }

  async update(id: string, change: ProjectChange): Promise<Project> {
    const project = await this.store.update(id, change);
    if (!project) throw projectNotFound(id);
    return project;
  }

  /** Creates the project unless it exists (development mode's `demo`, at start-up). */
  async ensure(id: string, name: string): Promise<void> {
    await this.store.ensure(id, name);
  }
}
