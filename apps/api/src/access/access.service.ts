import { AccessStore } from '@app/database';
import { decideAccess, DomainError, offerCovers } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { Metrics } from '../observability/metrics';
import { AccessCheckView } from './fields/access-response.fields';
import { AccessRequest } from './fields/access-request.fields';

/**
 * The access decision: two reads whatever the number of contents (the project with the offers that may
 * cover them; the viewer's entitlements to those offers), then the domain's decideAccess for each content.
 */
@Injectable()
export class AccessService {
  constructor(
    private readonly store: AccessStore,
    private readonly metrics: Metrics,
  ) {}

  async check(request: AccessRequest): Promise<AccessCheckView[]> {
    const { projectId, userId, contents } = request;
    const catalog = await this.store.catalog(projectId, contents);
    if (!catalog.project) throw DomainError.notFound(`project ${JSON.stringify(projectId)} does not exist`);
    const covering = catalog.offers.filter((offer) => contents.some((content) => offerCovers(offer, content)));
    const entitlements = await this.store.viewerEntitlements(
      projectId,
      userId,
      covering.map((offer) => offer.id),
    );
    const at = request.time ?? new Date();
    const viewer = {
      countryCode: request.countryCode,
      deviceId: request.deviceId,
      deviceSpecificProducts: catalog.project.settings.deviceSpecificProducts,
    };
    return contents.map((content) => {
      const decision = decideAccess({ content, at, viewer, offers: covering, entitlements });
      this.metrics.accessDecision(decision.reason);
      return { content, decision };
    });
  }
}
