import { DatabaseModule } from '@app/database';
import { Module } from '@nestjs/common';
import { DemoProjectService } from './demo-project.service';
import { ProjectsController } from './projects.controller';
import { ProjectsService } from './projects.service';

@Module({
  imports: [DatabaseModule],
  controllers: [ProjectsController],
  providers: [ProjectsService, DemoProjectService],
  exports: [ProjectsService],
})
export class ProjectsModule {}
