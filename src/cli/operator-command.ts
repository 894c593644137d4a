import type { HubConfig } from '../config/hub-config.js';
import { HubError } from '../errors/hub-error.js';
import { DeliveryZoneRepo } from '../geo/delivery-zone-repo.js';
import { MenuRepo } from '../menu/menu-repo.js';
import { OperationJournal } from '../orders/operation-journal.js';
import { OrderLocks } from '../orders/order-locks.js';
import { type OperatorAction, operatorAction } from '../orders/operator-actions.js';
import { statusName } from '../orders/order-status.js';
import { TimerRepo } from '../scheduler/timer-repo.js';
import { ChainRepo } from '../store/chain-repo.js';
import { openStore } from '../store/database.js';
import { JournalRepo } from '../store/journal-repo.js';
import { OrderRepo } from '../store/order-repo.js';
import { commandLogger } from './command-output.js';

const ACTIONS: readonly string[] = ['confirm', 'accept', 'transfer'];

/**
 * `delivery-hub orders <action> <id>`: the operator's move, written straight to the database the
 * hub uses. The CLI never talks to a cash station; a transfer is a timer the running hub fires.
 */
export async function runOperatorCommand(
  config: HubConfig, action: string, orderId: string,
): Promise<number> {
  if (!ACTIONS.includes(action)) {
    process.stderr.write(`unknown action "${action}"; use one of ${ACTIONS.join(', ')}\n`);
    return 2;
  }

  const logger = commandLogger();
  const store = await openStore({
    databaseUrl: config.databaseUrl, dataDir: config.dataDir, mustExist: true, logger,
  });
  try {
    const result = await operatorAction({
      orders: new OrderRepo(store.db),
      chain: new ChainRepo(store.db),
      menu: new MenuRepo(store.db),
      zones: new DeliveryZoneRepo(store.db),
      timers: new TimerRepo(store.db),
      locks: new OrderLocks(),
      journal: new OperationJournal(new JournalRepo(store.db), {
        instanceId: config.instanceId, settleAfterMs: 2 * config.cashTimeoutMs,
      }),
      stationFor: () => {
        throw new Error('the operator CLI does not call cash stations');
      },
      clock: Date.now,
      logger,
    }, orderId, action as OperatorAction, 'operator:cli');

    process.stdout.write(`order ${orderId}: ${statusName(result.statusId)}`
      + `${action === 'transfer' ? ' — transfer to the cash station scheduled now' : ''}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof HubError)) throw err;
    process.stderr.write(`order ${orderId}: ${err.code}: ${err.message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}
