/**
 * DeregisterStreamConsumer: an ACTIVE consumer goes DELETING, and is gone after the transition
 * delay; its live subscriptions end (with ResourceNotFoundException as an event).
 */
import type { ConsumerReference } from '../fan-out/consumer-registry.js';
import { defineAction, fanOutOf } from './action.js';

export const deregisterStreamConsumer = defineAction<ConsumerReference>(
  'DeregisterStreamConsumer',
  async (context, input) => {
    const consumers = fanOutOf(context).consumers;
    await consumers.deregister(consumers.find(context.scope, input));
    return undefined;
  },
);
