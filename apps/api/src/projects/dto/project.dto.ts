import { formatTimestamp } from '../../common/rfc3339';
import { PROJECT_ID_MAX, PROJECT_ID_MIN, PROJECT_ID_PATTERN, Project } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';

export class ProjectSettingsDto {
  @ApiPropertyOptional({ default: false, description: 'CRM gateway: an entitlement with a deviceId applies to that device only.' })
  @IsOptional()
  @IsBoolean()
  device_specific_products?: boolean;
}

export class CreateProjectRequest {
  @ApiProperty({ example: 'rtt-show', description: `Chosen by the caller: ${PROJECT_ID_MIN} to ${PROJECT_ID_MAX} lower-case letters, digits and single hyphens, starting with a letter. Unique.`, pattern: PROJECT_ID_PATTERN.source })
  @IsString()
  @Length(PROJECT_ID_MIN, PROJECT_ID_MAX)
  @Matches(PROJECT_ID_PATTERN, { message: 'must be a URL-safe slug: lower-case letters, digits and single hyphens, starting with a letter' })
  id: string;

  @ApiProperty({ example: 'RTT Show', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ type: ProjectSettingsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ProjectSettingsDto)
  settings?: ProjectSettingsDto;
}

export class ProjectPatchDto {
  @ApiPropertyOptional({ example: 'RTT Show (EU)', minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ type: ProjectSettingsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ProjectSettingsDto)
  settings?: ProjectSettingsDto;
}

export class UpdateProjectRequest {
  @ApiPropertyOptional({ example: 'rtt-show', description: 'When given, must equal the id in the path.' })
  @IsOptional()
  @IsString()
  project_id?: string;

  @ApiProperty({ type: ProjectPatchDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ProjectPatchDto)
  project: ProjectPatchDto;

  @ApiPropertyOptional({ example: 'name,settings.device_specific_products', description: 'Comma-separated field paths to change (name, settings, settings.device_specific_products). Empty: the fields present in `project`.' })
  @IsOptional()
  @IsString()
  update_mask?: string;
}

export class ProjectSettingsResponse {
  @ApiProperty({ example: false })
  device_specific_products: boolean;
}

export class ProjectDto {
  @ApiProperty({ example: 'rtt-show' })
  id: string;
  @ApiProperty({ example: 'RTT Show' })
  name: string;
  @ApiProperty({ type: ProjectSettingsResponse })
  settings: ProjectSettingsResponse;
  @ApiProperty({ example: '2026-11-23T12:00:00Z', format: 'date-time' })
  create_time: string;
  @ApiProperty({ example: '2026-11-23T12:00:00Z', format: 'date-time' })
  update_time: string;

  static from(project: Project): ProjectDto {
    return {
      id: project.id,
      name: project.name,
      settings: { device_specific_products: project.settings.deviceSpecificProducts },
      create_time: formatTimestamp(project.createdAt),
      update_time: formatTimestamp(project.updatedAt),
    };
  }
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
