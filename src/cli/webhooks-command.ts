import type { HubConfig } from '../config/hub-config.js';
import { HubError } from '../errors/hub-error.js';
import { openStore } from '../store/database.js';
import { isoFromMillis } from '../time/instant.js';
import { DeliveryRepo } from '../webhooks/delivery-repo.js';
import { replayWebhook } from '../webhooks/webhook-replay.js';
import { type CommandOutput, STDIO } from './command-output.js';

/**
 * `delivery-hub webhooks replay <eventId|deliveryId>`: puts the delivery (or every delivery of
 * the event) back in the outbox of the database the hub uses; the running hub sends it at its
 * next pass. Returns the process exit code.
 */
export async function runWebhooksReplay(
  config: Pick<HubConfig, 'dataDir' | 'databaseUrl'>, target: string,
  io: CommandOutput = STDIO,
): Promise<number> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const { deliveryIds } = await replayWebhook(new DeliveryRepo(store.db), target,
      isoFromMillis(Date.now()));
    io.out(deliveryIds.length === 0
      ? `${target}: no active subscription wants this event`
      : `${target}: ${deliveryIds.length} delivery(ies) queued: ${deliveryIds.join(', ')}`);
    return 0;
  } catch (err) {
    if (!(err instanceof HubError)) throw err;
    io.err(`${target}: ${err.code}: ${err.message}`);
    return 1;
  } finally {
    await store.close();
  }
}
