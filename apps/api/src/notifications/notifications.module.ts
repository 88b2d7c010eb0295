import { DatabaseModule } from '@app/database';
import { Module } from '@nestjs/common';
import { ProjectsModule } from '../projects/projects.module';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Change notifications: webhook endpoints (Motto style), the outbox dispatcher, the NATS publisher. */
@Module({
  imports: [DatabaseModule, ProjectsModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookDispatcher],
})
export class NotificationsModule {}
