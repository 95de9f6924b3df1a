/**
 * Enhanced fan-out, as one part the composition root builds and the actions use: the consumer
 * registry (RegisterStreamConsumer and friends) and the live subscriptions (SubscribeToShard),
 * with the pacing hook for the per-subscription throughput limit.
 */
import type { Logger, StreamsService } from '../streams-service.js';
import { ConsumerRegistry } from './consumer-registry.js';
import { SubscriptionHub } from './subscription-hub.js';
import { unpaced, type SubscriptionPacer } from './subscription-pacer.js';

export class FanOut {
  readonly consumers: ConsumerRegistry;
  readonly subscriptions: SubscriptionHub;
  readonly pacer: SubscriptionPacer;
  readonly log: Logger;

  constructor(deps: { service: StreamsService; logger: Logger; pacer?: SubscriptionPacer }) {
    this.consumers = new ConsumerRegistry(deps.service, deps.logger);
    this.subscriptions = new SubscriptionHub(deps.service.clock);
    this.pacer = deps.pacer ?? unpaced;
    this.log = deps.logger;
  }

  async open(): Promise<void> {
    await this.consumers.open();
  }

  /** Ends every subscription (normally), then stops the consumer transitions. */
  async close(): Promise<void> {
    await this.subscriptions.close();
    this.consumers.close();
  }
}
