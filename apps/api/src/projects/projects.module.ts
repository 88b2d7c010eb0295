import { Module } from '@nestjs/common';
import { DemoProjectService } from './demo-project.service';
import { ProjectsController } from './projects.controller';
import { ProjectsService } from './projects.service';

@Module({
  controllers: [ProjectsController],
  providers: [ProjectsService, DemoProjectService],
  exports: [ProjectsService],
})
export class ProjectsModule {}
