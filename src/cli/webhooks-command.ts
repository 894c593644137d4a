import type { HubConfig } from '../config/hub-config.js';
import { HubError } from '../errors/hub-error.js';
import { type Db, openStore } from '../store/database.js';
import { isoFromMillis } from '../time/instant.js';
import { DeliveryRepo } from '../webhooks/delivery-repo.js';
import { SubscriptionRepo } from '../webhooks/subscription-repo.js';
import { replayWebhook } from '../webhooks/webhook-replay.js';
import { type CommandOutput, STDIO, commandLogger } from './command-output.js';

/**
 * `delivery-hub webhooks replay <eventId|deliveryId>`: puts the delivery (or every delivery of
 * the event) back in the outbox of the database the hub uses; the running hub sends it at its
 * next pass. Returns the process exit code.
 */
export async function runWebhooksReplay(
  config: Pick<HubConfig, 'dataDir' | 'databaseUrl'>, target: string,
  io: CommandOutput = STDIO,
): Promise<number> {
  return withStore(config, async (db) => {
    try {
      const { deliveryIds } = await replayWebhook(new DeliveryRepo(db), target,
        isoFromMillis(Date.now()));
      io.out(deliveryIds.length === 0
        ? `${target}: no active subscription wants this event`
        : `${target}: ${deliveryIds.length} delivery(ies) queued: ${deliveryIds.join(', ')}`);
      return 0;
    } catch (err) {
      if (!(err instanceof HubError)) throw err;
      io.err(`${target}: ${err.code}: ${err.message}`);
      return 1;
    }
  });
}

/**
 * `delivery-hub webhooks resume <subscriptionId>`: ends a pause the hub put on a subscription
 * whose deliveries kept failing; its queued deliveries are due at once, with a fresh retry
 * window. Returns the process exit code.
 */
export async function runWebhooksResume(
  config: Pick<HubConfig, 'dataDir' | 'databaseUrl'>, subscriptionId: string,
  io: CommandOutput = STDIO,
): Promise<number> {
  return withStore(config, async (db) => {
    const resumed = await new SubscriptionRepo(db).resume(subscriptionId,
      isoFromMillis(Date.now()));
    if (!resumed) {
      io.err(`${subscriptionId}: webhook_not_found: no such webhook subscription`);
      return 1;
    }
    io.out(`${subscriptionId}: resumed; its queued deliveries are due now`);
    return 0;
  });
}

async function withStore(
  config: Pick<HubConfig, 'dataDir' | 'databaseUrl'>, work: (db: Db) => Promise<number>,
): Promise<number> {
  const store = await openStore({
    databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger: commandLogger(),
  });
  try {
    return await work(store.db);
  } finally {
    await store.close();
  }
}
