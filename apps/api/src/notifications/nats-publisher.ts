import { ClaimedDelivery } from '@app/database';
import { connect, JetStreamClient, NatsConnection } from 'nats';

/** The subjects of the stream: `entitlements.<project_id>.<type>` (type like `entitlement.created`). */
export const NATS_SUBJECT_PREFIX = 'entitlements';

export function natsSubject(event: Pick<ClaimedDelivery['event'], 'projectId' | 'type'>): string {
  return `${NATS_SUBJECT_PREFIX}.${event.projectId}.${event.type}`;
}

/**
 * Publishes change events to a NATS JetStream stream (created when missing, capturing `entitlements.>`),
 * each with its event id as the msgID: the stream drops a re-published event within its duplicate window
 * (2 minutes by default), so a retry after a crash does not store it twice.
 */
export class NatsPublisher {
  private connection?: NatsConnection;
  private js?: JetStreamClient;
  private connecting?: Promise<JetStreamClient>;

  constructor(
    private readonly servers: string,
    private readonly stream: string,
  ) {}

  async publish(event: ClaimedDelivery['event'], body: string): Promise<void> {
    const js = await this.client();
    await js.publish(natsSubject(event), Buffer.from(body), { msgID: event.eventId, timeout: 5000 });
  }

  private client(): Promise<JetStreamClient> {
    if (this.js && this.connection && !this.connection.isClosed()) return Promise.resolve(this.js);
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<JetStreamClient> {
    const nc = await connect({
      servers: this.servers.split(','),
      name: 'entitlements-service',
      maxReconnectAttempts: -1,
      timeout: 5000,
    });
    try {
      const jsm = await nc.jetstreamManager();
      try {
        await jsm.streams.info(this.stream);
      } catch {
        await jsm.streams.add({ name: this.stream, subjects: [`${NATS_SUBJECT_PREFIX}.>`] });
      }
    } catch (err) {
      await nc.close();
      throw err;
    }
    this.connection = nc;
    this.js = nc.jetstream();
    return this.js;
  }

  async close(): Promise<void> {
    const nc = this.connection;
    this.connection = undefined;
    this.js = undefined;
    if (nc && !nc.isClosed()) await nc.drain().catch(() => undefined);
  }
}
