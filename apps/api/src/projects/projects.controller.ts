import { DomainError } from '@app/domain';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PlatformAuth } from '../auth/auth.decorators';
import { PlatformPrincipal } from '../auth/principal';
import { decodePageToken, encodePageToken, maskPaths, pageSize } from '../common/page-token';
import { MottoApi, MottoErrors } from '../motto/motto-api.decorator';
import { CreateProjectRequest, ListProjectsResponse, ProjectDto, ProjectResponse, UpdateProjectRequest } from './dto/project.dto';
import { ProjectsService } from './projects.service';

const MASKABLE = ['name', 'settings', 'settings.device_specific_products'];

@ApiTags('Projects')
@MottoApi()
@MottoErrors(400, 401, 403, 500)
@Controller('iam/projects/v1')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @HttpCode(200)
  @PlatformAuth('admin', { allProjects: true })
  @ApiOperation({ summary: 'Create a project', description: 'A project is a tenant: every offer and entitlement belongs to one. Needs an admin token for all projects.' })
  @ApiOkResponse({ type: ProjectResponse, description: 'The created project.' })
  @MottoErrors(409)
  async createProject(@Body() body: CreateProjectRequest): Promise<ProjectResponse> {
    const project = await this.projects.create({
      id: body.id,
      name: body.name,
      settings: { deviceSpecificProducts: body.settings?.device_specific_products ?? false },
    });
    return { project: ProjectDto.from(project) };
  }

  @Get(':project_id')
  @PlatformAuth('viewer')
  @ApiOperation({ summary: 'Get a project', description: 'The project, its settings and timestamps. Any role with access to the project.' })
  @ApiOkResponse({ type: ProjectResponse })
  @MottoErrors(404)
  async getProject(@Param('project_id') projectId: string, @CurrentPrincipal() principal: PlatformPrincipal): Promise<ProjectResponse> {
    principal.requireProject(projectId, 'viewer');
    return { project: ProjectDto.from(await this.projects.get(projectId)) };
  }

  @Get()
  @PlatformAuth('viewer')
  @ApiOperation({ summary: 'List projects', description: 'The projects the token may act on, ordered by id.' })
  @ApiQuery({ name: 'page_size', required: false, type: String, description: 'Default 50, at most 1000.' })
  @ApiQuery({ name: 'page_token', required: false, type: String })
  @ApiOkResponse({ type: ListProjectsResponse })
  async listProjects(
    @CurrentPrincipal() principal: PlatformPrincipal,
    @Query('page_size') rawPageSize?: string,
    @Query('page_token') pageToken?: string,
  ): Promise<ListProjectsResponse> {
    const limit = pageSize(rawPageSize);
    const after = decodePageToken('projects', pageToken, 1, (k): k is [string] => typeof k[0] === 'string')?.[0];
    const page = await this.projects.list({ only: principal.projects === '*' ? undefined : principal.projects, after, limit });
    return {
      projects: page.projects.map(ProjectDto.from),
      next_page_token: page.nextAfter ? encodePageToken('projects', [page.nextAfter]) : '',
    };
  }

  @Patch(':project_id')
  @PlatformAuth('admin')
  @ApiOperation({ summary: 'Update a project', description: 'Only the paths in update_mask change; an empty mask changes the fields present in `project`.' })
  @ApiOkResponse({ type: ProjectResponse, description: 'The updated project.' })
  @MottoErrors(404)
  async updateProject(
    @Param('project_id') projectId: string,
    @Body() body: UpdateProjectRequest,
    @CurrentPrincipal() principal: PlatformPrincipal,
  ): Promise<ProjectResponse> {
    principal.requireProject(projectId, 'admin');
    if (body.project_id !== undefined && body.project_id !== projectId) {
      throw DomainError.invalidField('project_id', 'must equal the project id in the path');
    }
    const paths = maskPaths(body.update_mask);
    const unknown = paths.filter((p) => !MASKABLE.includes(p));
    if (unknown.length) throw DomainError.invalidField('update_mask', `unknown path ${unknown.join(', ')} (allowed: ${MASKABLE.join(', ')})`);
    const given = body.project;
    const wants = (path: string) => (paths.length ? paths.includes(path) : false);
    const change: { name?: string; settings?: { deviceSpecificProducts?: boolean } } = {};
    if (paths.length === 0) {
      if (given.name !== undefined) change.name = given.name;
      if (given.settings?.device_specific_products !== undefined) change.settings = { deviceSpecificProducts: given.settings.device_specific_products };
    } else {
      if (wants('name')) {
        if (given.name === undefined) throw DomainError.invalidField('project.name', 'is in update_mask but not given');
        change.name = given.name;
      }
      if (wants('settings') || wants('settings.device_specific_products')) {
        change.settings = { deviceSpecificProducts: given.settings?.device_specific_products ?? false };
      }
    }
    return { project: ProjectDto.from(await this.projects.update(projectId, change)) };
  }
}
