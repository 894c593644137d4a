import { randomUUID } from 'node:crypto';
import { toWire } from '../time/instant.js';
import type { Subscription } from './subscription-repo.js';
import { WebhookSender, type WebhookOutcome } from './webhook-sender.js';

/**
 * Sends a `ping` event to a subscription at once, outside the outbox (nothing is retried or
 * logged), so whoever sets up a receiver sees the headers and signature working.
 */
export async function pingSubscription(
  subscription: Subscription, now: number,
): Promise<WebhookOutcome & { eventId: string }> {
  const eventId = randomUUID();
  const body = JSON.stringify({
    eventId, eventType: 'ping', sequence: 0, occurredAt: toWire(new Date(now).toISOString()),
    title: subscription.title, corporationId: subscription.corporationId,
  });

  const sender = new WebhookSender();
  try {
    const outcome = await sender.send({
      url: subscription.url, token: subscription.token, secret: subscription.secret, eventId,
      eventType: 'ping', attempt: 1, body, now,
    });
    return { eventId, ...outcome };
  } finally {
    await sender.close();
  }
}
