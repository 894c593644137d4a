import { childrenNamed } from '../cash/rk7/xml-element.js';
import type { Kopecks } from '../money/money.js';
import { renderCheck } from './order-view.js';
import {
  checkLock, requiredIntAttr, requireChild, requireOrder, resolveRef,
} from './request-reading.js';
import { stationTime } from './seed-fixtures.js';
import { newGuid } from './sim-command.js';
import type { CommandHandler, SimSettings } from './sim-command.js';
import { simErrors } from './sim-errors.js';
import { orderTotals, touchOrder } from './sim-state.js';
import type { RkCurrency, RkOrder, RkPrintCheck, RkStation, SimState } from './sim-state.js';

/** A payment as the station weighs it; `tenders` undefined = no `<Payment>` (close request). */
export interface StationPayment {
  station: RkStation;
  tenders: { currency: RkCurrency; amount: Kopecks }[] | undefined;
}

/** `PayOrder` (§5.9): reads the request, then follows the decision procedure of §8.4. */
export const payOrder: CommandHandler = (command, ctx) => {
  const { state } = ctx;
  const order = requireOrder(state, command);
  if (order.deleted) throw simErrors.orderDeleted();
  checkLock(order, command, ctx.now.getTime());

  const station = resolveRef(requireChild(command, 'Station'), state.refs.stations, 'Cashes');
  if (!station.online) throw simErrors.stationOffline(station.name);
  resolveRef(requireChild(command, 'Cashier'), state.refs.employees, 'Employees');
  const paymentEls = childrenNamed(command, 'Payment');
  const tenders = paymentEls.map((el) => ({
    currency: resolveRef(el, state.refs.currencies, 'Currencies'),
    amount: nonNegative(requiredIntAttr(el, 'amount'), 'Payment/@amount'),
  }));

  const check = payOrderAtStation(state, order, {
    station, tenders: paymentEls.length === 0 ? undefined : tenders,
  }, ctx.settings, ctx.now);
  return { children: [renderCheck(state, check)], changed: true };
};

/**
 * The money rows of the §8.4 decision table, shared by PayOrder and the till's payment action.
 * Let S = Σ tenders and U = what is still due after non-promised prepayments:
 * - no tenders: close when U = 0, else 3071 naming the order;
 * - S < U (S = 0 included): 3373;
 * - S > U: change for cash when every tendered currency gives change (policy
 *   `change-for-cash`), refused otherwise;
 * - S = U: paid.
 * On success the order gets a receipt, its lines are closed and it is paid and finished.
 */
export function payOrderAtStation(
  state: SimState,
  order: RkOrder,
  payment: StationPayment,
  settings: SimSettings,
  now: Date,
): RkPrintCheck {
  if (order.deleted) throw simErrors.orderDeleted();
  if (order.paid) throw simErrors.orderAlreadyPaid();

  const due = orderTotals(order).unpaidSum;
  const tendered = (payment.tenders ?? []).reduce((sum, t) => sum + t.amount, 0);
  if (payment.tenders === undefined && due > 0) throw simErrors.notFullyPaid(order.orderName);
  if (tendered < due) throw simErrors.notEnoughMoney(settings.language);
  if (tendered > due && !changeAllowed(payment, settings)) throw simErrors.overpay();

  return settle(state, order, payment, { due, change: tendered - due, now });
}

function changeAllowed(payment: StationPayment, settings: SimSettings): boolean {
  if (settings.overpayPolicy === 'reject') return false;
  return (payment.tenders ?? []).every((t) => t.amount === 0 || t.currency.allowChange);
}

function settle(
  state: SimState,
  order: RkOrder,
  payment: StationPayment,
  sums: { due: Kopecks; change: Kopecks; now: Date },
): RkPrintCheck {
  const sessionUni = order.nextUni++;
  order.sessions.push({
    uni: sessionUni,
    lineGuid: newGuid(),
    printed: true,
    stationIdent: payment.station.ident,
    lines: [],
  });

  const check: RkPrintCheck = {
    sessionUni,
    uni: order.nextUni++,
    lineGuid: newGuid(),
    checkNum: state.nextCheckNum++,
    amount: sums.due,
    change: sums.change,
    printTime: stationTime(sums.now),
    pays: (payment.tenders ?? []).map((t) => ({
      uni: order.nextUni++,
      lineGuid: newGuid(),
      currencyIdent: t.currency.ident,
      amount: t.amount,
    })),
  };
  order.checks.push(check);

  for (const line of order.sessions.flatMap((s) => s.lines)) {
    if (line.state === 7) continue;
    line.state = 6;
    if (line.kind === 'dish') line.modifiers.forEach((m) => { if (m.state !== 7) m.state = 6; });
  }
  order.paid = true;
  order.finished = true;
  touchOrder(state, order);
  return check;
}

function nonNegative(value: number, path: string): number {
  if (value < 0) throw simErrors.badInteger(path, String(value));
  return value;
}
