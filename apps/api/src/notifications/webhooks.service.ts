import { NotificationStore } from '@app/database';
import { DomainError, WebhookDelivery, WebhookEndpoint } from '@app/domain';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig, NotificationsConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ProjectsService } from '../projects/projects.service';
import { resolveTarget, TargetRefused } from './target-guard';
import { EndpointChange, NewEndpointInput } from './webhook-wire';
import { generateSecret } from './webhook-signature';

export interface EndpointPage {
  endpoints: WebhookEndpoint[];
  next?: [string, string];
}

export interface DeliveryPage {
  deliveries: WebhookDelivery[];
  next?: string;
}

function endpointNotFound(projectId: string, id: string): DomainError {
  return DomainError.notFound(
    `webhook endpoint ${JSON.stringify(id)} does not exist in project ${JSON.stringify(projectId)}`,
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Webhook endpoints of a project: their settings, secrets and delivery log. */
@Injectable()
export class WebhooksService {
  private readonly config: NotificationsConfig;

  constructor(
    private readonly store: NotificationStore,
    private readonly projects: ProjectsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.config = config.notifications;
  }

  /** Creates an endpoint with a new secret (returned this once). The URL must pass the SSRF check. */
  async create(input: NewEndpointInput): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    await this.requireProject(input.projectId);
    await this.checkUrl(input.url, 'url');
    const now = new Date();
    const endpoint = Object.assign(new WebhookEndpoint(), {
      id: randomUUID(),
      projectId: input.projectId,
      url: input.url,
      description: input.description,
      eventTypes: input.eventTypes,
      secret: generateSecret(),
      createdAt: now,
      updatedAt: now,
    });
    await this.store.createEndpoint(endpoint);
    return { endpoint, secret: endpoint.secret };
  }

  async get(projectId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = UUID.test(id) ? await this.store.getEndpoint(projectId, id) : null;
    if (!endpoint) throw endpointNotFound(projectId, id);
    return endpoint;
  }

  async list(projectId: string, limit: number, after?: [string, string]): Promise<EndpointPage> {
    await this.projects.requireExists(projectId);
    const page = await this.store.listEndpoints(projectId, limit, after);
    return { endpoints: page.items, next: page.next };
  }

  async update(projectId: string, id: string, change: EndpointChange): Promise<WebhookEndpoint> {
    if (change.url !== undefined) await this.checkUrl(change.url, 'endpoint.url');
    const updated = UUID.test(id)
      ? await this.store.updateEndpoint(projectId, id, (e) => {
          if (change.url !== undefined) e.url = change.url;
          if (change.description !== undefined) e.description = change.description;
          if (change.eventTypes !== undefined) e.eventTypes = change.eventTypes;
          if (change.enabled === true) {
            e.disabledAt = null;
            e.disabledReason = null;
          } else if (change.enabled === false && e.disabledAt === null) {
            e.disabledAt = new Date();
            e.disabledReason = 'disabled by an update';
          }
        })
      : null;
    if (!updated) throw endpointNotFound(projectId, id);
    return updated;
  }

  async delete(projectId: string, id: string): Promise<void> {
    if (!UUID.test(id) || !(await this.store.deleteEndpoint(projectId, id))) throw endpointNotFound(projectId, id);
  }

  /**
   * A new secret; the previous one keeps signing (a second signature in webhook-signature) for
   * WEBHOOK_SECRET_GRACE_S (default 24 hours), so receivers can switch without losing an event.
   */
  async rotateSecret(projectId: string, id: string): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const updated = UUID.test(id)
      ? await this.store.updateEndpoint(projectId, id, (e) => {
          e.previousSecret = e.secret;
          e.previousSecretExpiresAt = new Date(Date.now() + this.config.secretGraceS * 1000);
          e.secret = generateSecret();
        })
      : null;
    if (!updated) throw endpointNotFound(projectId, id);
    return { endpoint: updated, secret: updated.secret };
  }

  async deliveries(projectId: string, id: string, limit: number, beforeId?: string): Promise<DeliveryPage> {
    const endpoint = await this.get(projectId, id);
    const page = await this.store.listDeliveries(endpoint.id, limit, beforeId);
    return { deliveries: page.items, next: page.next };
  }

  async redeliver(projectId: string, id: string, deliveryId: string): Promise<WebhookDelivery> {
    const endpoint = await this.get(projectId, id);
    const delivery = /^\d{1,19}$/.test(deliveryId) ? await this.store.redeliver(endpoint.id, deliveryId) : null;
    if (!delivery) {
      throw DomainError.notFound(
        `delivery ${JSON.stringify(deliveryId)} does not exist for webhook endpoint ${JSON.stringify(id)}`,
      );
    }
    return delivery;
  }

  private async requireProject(projectId: string): Promise<void> {
    if (!(await this.projects.find(projectId))) {
      throw DomainError.invalidField('project_id', `project ${JSON.stringify(projectId)} does not exist`);
    }
  }

  private async checkUrl(url: string, field: string): Promise<void> {
    try {
      await resolveTarget(url, this.config.allowPrivateTargets);
    } catch (err) {
      if (err instanceof TargetRefused) throw DomainError.invalidField(field, err.message.replace(/^the URL /, ''));
      throw err;
    }
  }
}
