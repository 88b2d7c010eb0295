import { DatabaseModule } from '@app/database';
import { Module } from '@nestjs/common';
import { ProjectsModule } from '../projects/projects.module';
import { OffersController } from './offers.controller';
import { OffersService } from './offers.service';

/** The Motto-style offers API. */
@Module({
  imports: [DatabaseModule, ProjectsModule],
  controllers: [OffersController],
  providers: [OffersService],
  exports: [OffersService],
})
export class OffersModule {}
