import { HubError } from '../errors/hub-error.js';
import type { DeliveryRepo } from './delivery-repo.js';

/**
 * Replays by delivery id (that one delivery) or by event id (the event to every active
 * subscription that wants it). Either way the delivery gets a fresh 24-hour window and is sent
 * at the worker's next pass. Returns the ids of the deliveries now pending.
 */
export async function replayWebhook(
  deliveries: DeliveryRepo, target: string, now: string,
): Promise<{ deliveryIds: string[] }> {
  const id = target.trim();
  if (id !== '' && await deliveries.replayDelivery(id, now)) return { deliveryIds: [id] };

  const replayed = id === '' ? undefined : await deliveries.replayEvent(id, now);
  if (!replayed) {
    throw new HubError('webhook_not_found', `No webhook delivery or event with id "${target}"`);
  }
  return { deliveryIds: replayed };
}
