import type { XmlElement } from '../cash/rk7/xml-element.js';
import type { Kopecks } from '../money/money.js';
import { describeCommands, executeRequest } from './command-dispatcher.js';
import type { CommandInfo, ParsedRequest } from './command-dispatcher.js';
import { voidOrderAtStation } from './order-commands.js';
import { payOrderAtStation } from './pay-order.js';
import { normalizeSimGuid } from './request-reading.js';
import { businessDate, createSeedState, stationTime, TILL_STATION } from './seed-fixtures.js';
import type { SimContext, SimSettings } from './sim-command.js';
import { simErrors } from './sim-errors.js';
import type { SimCommandError } from './sim-errors.js';
import { newGuid } from './sim-command.js';
import { orderTotals, touchOrder } from './sim-state.js';
import type { OrderTotals, RkOrder, SimShift, SimState } from './sim-state.js';
import type { StateStore } from './state-store.js';

/** Runs a request's execution, possibly with the station adjusted for it. */
export type Around = <T>(ctx: SimContext, run: (ctx: SimContext) => T) => T;

/** A copy of a station order with its derived sums, for tests and the control API. */
export type SimOrderSnapshot = RkOrder & OrderTotals;

/** A payment made at the till, bypassing the XML interface (§8.7 station-side actions). */
export interface PayAtTill {
  orderGuid: string;
  /** Currency GUID (braces optional), or its ident; roubles when absent. */
  currency?: string;
  amount: Kopecks;
}

/**
 * The simulated cash server without its HTTP side: state, command execution, counters,
 * persistence and the station-side actions.
 */
export class SimStation {
  #state: SimState;
  readonly #settings: SimSettings;
  readonly #store: StateStore | undefined;
  readonly #clock: () => number;
  readonly #numOnTableSeed: number;
  readonly #counts = new Map<string, number>();

  constructor(options: {
    state: SimState;
    settings: SimSettings;
    store: StateStore | undefined;
    clock: () => number;
    numOnTableSeed: number;
  }) {
    this.#state = options.state;
    this.#settings = options.settings;
    this.#store = options.store;
    this.#clock = options.clock;
    this.#numOnTableSeed = options.numOnTableSeed;
  }

  get state(): SimState {
    return this.#state;
  }

  /** A context for a request arriving now. */
  context(): SimContext {
    return {
      state: this.#state,
      settings: this.#settings,
      now: new Date(this.#clock()),
      clock: this.#clock,
    };
  }

  /** Counts the request's commands and describes them for fault matching. */
  receive(ctx: SimContext, request: ParsedRequest): CommandInfo[] {
    const infos = describeCommands(ctx, request);
    for (const { cmd } of infos) this.#counts.set(cmd, (this.#counts.get(cmd) ?? 0) + 1);
    return infos;
  }

  /**
   * Runs a request; the state is saved before the reply is released when it changed. `around`
   * may adjust the station for this one request (fault injection): execution is synchronous, so
   * no other request sees the adjustment.
   */
  async execute(
    ctx: SimContext,
    request: ParsedRequest,
    decline?: (command: XmlElement) => SimCommandError | undefined,
    around: Around = (c, run) => run(c),
  ): Promise<XmlElement> {
    const { reply, changed } = around(ctx, (c) => executeRequest(c, request, decline));
    if (changed) await this.save();
    return reply;
  }

  commandCount(cmd: string): number {
    return this.#counts.get(cmd) ?? 0;
  }

  /** Back to the seeded station: no orders, counters at their seeds, command counts zero. */
  async reset(): Promise<void> {
    this.#state = createSeedState({
      numOnTableSeed: this.#numOnTableSeed,
      now: new Date(this.#clock()),
    });
    this.#counts.clear();
    await this.save();
  }

  getOrder(guid: string): SimOrderSnapshot | undefined {
    const order = this.#state.orders.get(normalizeSimGuid(guid));
    return order === undefined ? undefined : snapshot(order);
  }

  orders(): SimOrderSnapshot[] {
    return [...this.#state.orders.values()].map(snapshot);
  }

  /** The cashier takes the payment at the till (same rules as PayOrder). */
  async payAtTill(action: PayAtTill): Promise<SimOrderSnapshot> {
    const order = this.#requireOrder(action.orderGuid);
    const refs = this.#state.refs;
    const wanted = action.currency === undefined ? undefined : normalizeSimGuid(action.currency);
    const currency = wanted === undefined
      ? refs.currencies[0]
      : refs.currencies.find((c) => c.guid === wanted || String(c.ident) === wanted);
    const station = refs.stations.find((s) => s.ident === TILL_STATION);
    if (currency === undefined) throw simErrors.refNotFound(String(action.currency), 'Currencies');
    if (station === undefined) throw simErrors.refNotFound(String(TILL_STATION), 'Cashes');

    payOrderAtStation(this.#state, order, {
      station, tenders: [{ currency, amount: action.amount }],
    }, this.#settings, new Date(this.#clock()));
    await this.save();
    return snapshot(order);
  }

  /** The cashier voids the order at the till with the first reason allowed to void orders. */
  async voidAtTill(action: { orderGuid: string }): Promise<SimOrderSnapshot> {
    const order = this.#requireOrder(action.orderGuid);
    const reason = this.#state.refs.voidReasons.find((r) => r.flags.includes('ImplOnCheckVoid'));
    if (reason === undefined) throw simErrors.refNotFound('ImplOnCheckVoid', 'OrderVoids');

    voidOrderAtStation(this.#state, order, reason);
    await this.save();
    return snapshot(order);
  }

  /** The order is opened on a POS: it is locked by that station until closed there (2219). */
  async openOnPos(action: { orderGuid: string; station?: number }): Promise<SimOrderSnapshot> {
    const order = this.#requireOrder(action.orderGuid);
    order.lock = { guid: newGuid(), untilMs: Number.MAX_SAFE_INTEGER,
      stationIdent: action.station ?? TILL_STATION };
    touchOrder(this.#state, order);
    await this.save();
    return snapshot(order);
  }

  /** The order is closed on the POS that had it open: its lock is released. */
  async closeOnPos(action: { orderGuid: string }): Promise<SimOrderSnapshot> {
    const order = this.#requireOrder(action.orderGuid);
    delete order.lock;
    touchOrder(this.#state, order);
    await this.save();
    return snapshot(order);
  }

  /**
   * Staff start closing the common shift: until {@link openShift}, every request is answered
   * `UCSERR(2172)` as while a shift is being closed.
   */
  async closeShift(): Promise<SimShift> {
    this.#state.shift.closing = true;
    this.#state.shift.open = false;
    await this.save();
    return { ...this.#state.shift };
  }

  /** Staff open the next common shift, dated today. */
  async openShift(): Promise<SimShift> {
    const now = new Date(this.#clock());
    const shift = this.#state.shift;
    this.#state.shift = {
      num: shift.open ? shift.num : shift.num + 1,
      date: businessDate(now),
      open: true,
      closing: false,
      openedAt: shift.open ? shift.openedAt : stationTime(now),
    };
    await this.save();
    return { ...this.#state.shift };
  }

  async save(): Promise<void> {
    await this.#store?.save(this.#state);
  }

  #requireOrder(guid: string): RkOrder {
    const order = this.#state.orders.get(normalizeSimGuid(guid));
    if (order === undefined) throw simErrors.orderNotFound();
    return order;
  }
}

function snapshot(order: RkOrder): SimOrderSnapshot {
  return { ...structuredClone(order), ...orderTotals(order) };
}
