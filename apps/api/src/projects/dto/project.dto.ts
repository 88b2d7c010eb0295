import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProjectDto, ProjectPatchDto } from '../fields/project.fields';

/** Body of PATCH /iam/projects/v1/{id}, read by readProjectChange. */
export class UpdateProjectRequest {
  @ApiPropertyOptional({ example: 'rtt-show', description: 'When given, must equal the id in the path.' })
  project_id?: string;

  @ApiProperty({ type: ProjectPatchDto })
  project: ProjectPatchDto;

  @ApiPropertyOptional({
    example: 'name,settings.device_specific_products',
    description:
      'Comma-separated field paths to change (name, settings, settings.device_specific_products). Empty: the fields present in `project`.',
  })
  update_mask?: string;
}

export class ProjectResponse {
  @ApiProperty({ type: ProjectDto })
  project: ProjectDto;
}

export class ListProjectsResponse {
  @ApiProperty({ type: [ProjectDto] })
  projects: ProjectDto[];
  @ApiProperty({ example: '', description: 'Pass as page_token for the next page; empty when there are no more.' })
  next_page_token: string;
}
