import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PlatformAuth } from '../auth/auth.decorators';
import { PlatformPrincipal } from '../auth/principal';
import { MottoApi, MottoErrors } from '../motto/motto-api.decorator';
import { decodePageToken, encodePageToken, pageSize } from '../motto/wire/page-token';
import { ListProjectsResponse, ProjectResponse, UpdateProjectRequest } from './dto/project.dto';
import { CreateProjectRequest, toProjectDto } from './fields/project.fields';
import { readCreateProject, readProjectChange } from './project-reader';
import { ProjectsService } from './projects.service';

@ApiTags('Projects')
@MottoApi()
@MottoErrors(400, 401, 403, 500)
@Controller('iam/projects/v1')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @HttpCode(200)
  @PlatformAuth('admin', { allProjects: true })
  @ApiOperation({
    summary: 'Create a project',
    description:
      'A project is a tenant: every offer and entitlement belongs to one. Needs an admin token for all projects.',
  })
  @ApiOkResponse({ type: ProjectResponse, description: 'The created project.' })
  @MottoErrors(409)
  @ApiBody({ type: CreateProjectRequest })
  async createProject(@Body() body: Record<string, unknown>): Promise<ProjectResponse> {
    return { project: toProjectDto(await this.projects.create(readCreateProject(body))) };
  }

  @Get(':project_id')
  @PlatformAuth('viewer')
  @ApiOperation({
    summary: 'Get a project',
    description: 'The project, its settings and timestamps. Any role with access to the project.',
  })
  @ApiOkResponse({ type: ProjectResponse })
  @MottoErrors(404)
  async getProject(
    @Param('project_id') projectId: string,
    @CurrentPrincipal() principal: PlatformPrincipal,
  ): Promise<ProjectResponse> {
    principal.requireProject(projectId, 'viewer');
    return { project: toProjectDto(await this.projects.get(projectId)) };
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
    const page = await this.projects.list({
      only: principal.projects === '*' ? undefined : principal.projects,
      after,
      limit,
    });
    return {
      projects: page.projects.map(toProjectDto),
      next_page_token: page.nextAfter ? encodePageToken('projects', [page.nextAfter]) : '',
    };
  }

  @Patch(':project_id')
  @PlatformAuth('admin')
  @ApiOperation({
    summary: 'Update a project',
    description: 'Only the paths in update_mask change; an empty mask changes the fields present in `project`.',
  })
  @ApiOkResponse({ type: ProjectResponse, description: 'The updated project.' })
  @MottoErrors(404)
  @ApiBody({ type: UpdateProjectRequest })
  async updateProject(
    @Param('project_id') projectId: string,
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: PlatformPrincipal,
  ): Promise<ProjectResponse> {
    principal.requireProject(projectId, 'admin');
    const change = readProjectChange(body, projectId);
    return { project: toProjectDto(await this.projects.update(projectId, change)) };
  }
}
