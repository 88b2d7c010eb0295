/**
 * A project (the Motto-style API's word) is a tenant (the CRM gateway's word): one row, one id.
 * Every offer and entitlement belongs to exactly one.
 */
export interface ProjectSettings {
  /** When on, a CRM entitlement with a deviceId applies to that device only. */
  deviceSpecificProducts: boolean;
}

export class Project {
  /** A short URL-safe slug chosen by the caller, e.g. `rtt-show`. */
  id: string;
  name: string;
  settings: ProjectSettings;
  createdAt: Date;
  updatedAt: Date;

  constructor(init: { id: string; name: string; settings?: Partial<ProjectSettings>; now?: Date }) {
    const now = init.now ?? new Date();
    this.id = init.id;
    this.name = init.name;
    this.settings = { deviceSpecificProducts: init.settings?.deviceSpecificProducts ?? false };
    this.createdAt = now;
    this.updatedAt = now;
  }

  /** Renames and/or changes some settings (the others stay); the project counts as updated at `now`. */
  change(change: ProjectChange, now: Date): void {
    if (change.name !== undefined) this.name = change.name;
    if (change.settings) this.settings = { ...this.settings, ...change.settings };
    this.updatedAt = now;
  }
}

/** A change to a project: what is absent stays as it is. */
export interface ProjectChange {
  name?: string;
  settings?: Partial<ProjectSettings>;
}

/** Lower-case letters, digits and single hyphens; starts with a letter; 3 to 63 characters. */
export const PROJECT_ID_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const PROJECT_ID_MIN = 3;
export const PROJECT_ID_MAX = 63;

export function projectIdProblem(id: string): string | undefined {
  if (id.length < PROJECT_ID_MIN || id.length > PROJECT_ID_MAX) {
    return `must be ${PROJECT_ID_MIN} to ${PROJECT_ID_MAX} characters`;
  }
  if (!PROJECT_ID_PATTERN.test(id)) {
    return 'must be a URL-safe slug: lower-case letters, digits and single hyphens, starting with a letter';
  }
  return undefined;
}
