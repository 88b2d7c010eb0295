import { EntitlementEventSchema, EntitlementSchema } from './schema/entitlement.schema';
import { OfferContentSchema, OfferSchema } from './schema/offer.schema';
import { PlaybackSessionSchema } from './schema/playback-session.schema';
import { ProjectSchema } from './schema/project.schema';
import { OutboxEventSchema, WebhookDeliverySchema, WebhookEndpointSchema } from './schema/notification.schema';

/** Every mapped entity, listed explicitly (safe under any bundler or compiler). */
export const ENTITIES = [
  ProjectSchema,
  EntitlementSchema,
  EntitlementEventSchema,
  OfferSchema,
  OfferContentSchema,
  PlaybackSessionSchema,
  OutboxEventSchema,
  WebhookEndpointSchema,
  WebhookDeliverySchema,
];
