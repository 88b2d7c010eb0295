import { DatabaseModule } from '@app/database';
import { Module } from '@nestjs/common';
import { AccessChecksController } from './access-checks.controller';
import { AccessService } from './access.service';
import { PlaybackSessionsController } from './playback-sessions.controller';
import { PlaybackService } from './playback.service';

/** The access decision and playback sessions (Motto style), called by the platform's playback service. */
@Module({
  imports: [DatabaseModule],
  controllers: [AccessChecksController, PlaybackSessionsController],
  providers: [AccessService, PlaybackService],
})
export class AccessModule {}
