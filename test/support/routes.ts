import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AUTH_REQUIREMENT, AuthRequirement } from '../../apps/api/src/auth/auth.decorators';

export interface RouteAccess {
  method: string;
  path: string;
  access: string;
}

function joinPath(...parts: string[]): string {
  return `/${parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
}

function describeAccess(req: AuthRequirement | undefined): string {
  if (!req) return 'NONE (refused)';
  switch (req.kind) {
    case 'public':
      return 'public';
    case 'platform':
      return `platform token, ${req.role === 'playback' ? 'role playback|editor|admin' : `role >= ${req.role}`}${req.allProjects ? ', all projects' : ', project in token'}`;
    case 'operator':
      return 'keycloak token, operatorRole|adminRole, tenant from nv-tenant-id';
  }
}

/** Every route the application serves, with who may call it (from the @PlatformAuth/@OperatorAuth/@Public metadata). */
export function routeAccessTable(app: NestFastifyApplication): RouteAccess[] {
  const scanner = new MetadataScanner();
  const rows: RouteAccess[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance) continue;
      const controller = wrapper.metatype as object;
      const base = (Reflect.getMetadata(PATH_METADATA, controller) as string) ?? '';
      for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const handler = (instance as Record<string, unknown>)[name] as object;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const req = (Reflect.getMetadata(AUTH_REQUIREMENT, handler) ??
          Reflect.getMetadata(AUTH_REQUIREMENT, controller)) as AuthRequirement | undefined;
        rows.push({ method, path: joinPath(base, path), access: describeAccess(req) });
      }
    }
  }
  return rows.sort((a, b) => (a.path + a.method).localeCompare(b.path + b.method));
}
