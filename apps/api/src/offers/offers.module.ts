import { Module } from '@nestjs/common';
import { EntitlementsModule } from '../entitlements/entitlements.module';
import { ProjectsModule } from '../projects/projects.module';
import { OffersController } from './offers.controller';
import { OffersService } from './offers.service';

/** The Motto-style offers API. EntitlementsModule provides the EntitlementStore (live entitlements of an offer). */
@Module({
  imports: [ProjectsModule, EntitlementsModule],
  controllers: [OffersController],
  providers: [OffersService],
  exports: [OffersService],
})
export class OffersModule {}
