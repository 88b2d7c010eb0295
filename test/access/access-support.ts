import { CrmClient } from '../crm-gateway/crm-client';
import { TestApp } from '../support/test-app';

export const CHECK = '/monetization/access-checks/v1';
export const SESSIONS = '/monetization/playback-sessions/v1';

/** A project with offers and entitlements made through both APIs, as a platform would. */
export class AccessWorld {
  editor = '';
  playback = '';
  crm!: CrmClient;

  constructor(
    readonly t: TestApp,
    readonly project: string,
  ) {}

  async init(settings: { device_specific_products?: boolean } = {}): Promise<this> {
    await this.t.createProject(this.project, settings);
    this.editor = await this.t.platformToken([this.project], 'editor', 'back-office');
    this.playback = await this.t.platformToken([this.project], 'playback', 'playback-service');
    this.crm = new CrmClient(this.t, await this.t.operatorToken(), this.project);
    return this;
  }

  /** Creates an offer through the Motto-style API; returns its id. */
  async offer(body: Record<string, unknown>): Promise<string> {
    const res = await this.t.post(
      '/monetization/offers/v1',
      { project_id: this.project, name: 'offer', visibility: 'VISIBILITY_PUBLISHED', ...body },
      { token: this.editor },
    );
    if (res.status !== 200) throw new Error(`offer: ${res.status} ${res.text}`);
    return res.body.offer.id as string;
  }

  /** A Motto-style entitlement (upsert). */
  async entitle(userId: string, offerId: string, extra: Record<string, unknown> = {}): Promise<void> {
    const res = await this.t.post(
      '/monetization/entitlements/v1',
      { project_id: this.project, user_id: userId, offer_id: offerId, ...extra },
      { token: this.editor },
    );
    if (res.status !== 200) throw new Error(`entitle: ${res.status} ${res.text}`);
  }

  /** A CRM entitlement (account = user, product = offer); returns its _id. */
  async crmEntitle(accountId: string, productId: string, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await this.crm.create({
      productId,
      accountId,
      validityType: 'ABSOLUTE',
      productType: 'TRANSACTIONAL',
      validFrom: '2020-01-01T00:00:00Z',
      expiryDate: '2099-01-01T00:00:00Z',
      ...extra,
    });
    if (res.status !== 201) throw new Error(`crm: ${res.status} ${res.text}`);
    return res.body._id as string;
  }

  check(userId: string, content: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    return this.t.post(
      CHECK,
      { project_id: this.project, user_id: userId, content, country_code: 'FR', ...extra },
      { token: this.playback },
    );
  }

  start(
    userId: string,
    deviceId: string,
    content: Record<string, unknown>,
    extra: Record<string, unknown> = {},
    t = this.t,
  ) {
    return t.post(
      SESSIONS,
      { project_id: this.project, user_id: userId, content, country_code: 'FR', device_id: deviceId, ...extra },
      { token: this.playback },
    );
  }

  heartbeat(sessionId: string) {
    return this.t.post(`${SESSIONS}/${sessionId}/heartbeat`, undefined, {
      token: this.playback,
      query: { project_id: this.project },
    });
  }
}

export const event = (id: string, extra: Record<string, unknown> = {}) => ({ kind: 'EVENT', id, ...extra });
