import { CashStationError } from '../cash-station.js';
import type { Rk7LineError, Rk7Order } from './rk7-replies.js';

/**
 * How the connector words the failures it decides itself, or reclassifies, so that the domain's
 * error mapping (`cash-error-mapping.ts`) sees what the vendor's agent would report.
 */

/** A refusal decided by the connector: the station would refuse the change anyway. */
export function unchangeable(order: Rk7Order, why: 'paid' | 'deleted'): CashStationError {
  const text = why === 'paid'
    ? `Order ${order.orderName} is paid and closed; it cannot be changed or voided`
    : `Order ${order.orderName} is deleted`;
  return new CashStationError('refused', text);
}

/**
 * Runs a step that follows a state change the station accepted. If the station cannot be reached
 * for it, the caller holds no definite result, so the failure becomes `unknown` (reconcile).
 */
export async function afterMutation<T>(step: () => Promise<T>, changed = true): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (!changed || !(err instanceof CashStationError) || err.kind !== 'unavailable') throw err;

    throw new CashStationError('unknown', err.text, {
      rk7ErrorN: err.rk7ErrorN, wsCode: 'Timeout', cause: err,
    });
  }
}

/** A refused SaveOrder leaves an empty order behind (§6.3): the agent calls that filling failed. */
export function asFillingFailure(err: unknown): unknown {
  if (!(err instanceof CashStationError) || err.kind !== 'refused') return err;

  return new CashStationError('refused', err.text, {
    rk7ErrorN: err.rk7ErrorN, wsCode: 'WsaFillingOrderError', cause: err,
  });
}

/** A SaveOrder line the station refused, as the agent reports it. */
export function lineFailure(error: Rk7LineError): CashStationError {
  const wsCode = error.faultyElement === 'Dish'
    ? 'WsaOrderCreationDishNotFound'
    : 'WsaFillingOrderError';
  return new CashStationError('refused', error.text,
    error.rk7ErrorN === undefined ? { wsCode } : { wsCode, rk7ErrorN: error.rk7ErrorN });
}
