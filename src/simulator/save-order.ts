import { attr, childrenNamed, xmlElement } from '../cash/rk7/xml-element.js';
import type { XmlElement } from '../cash/rk7/xml-element.js';
import { renderOrder, wireGuid } from './order-view.js';
import {
  boolAttr, checkLock, guidAttr, intAttr, optionalRef, requiredIntAttr, requireOrder, resolveRef,
} from './request-reading.js';
import { newGuid } from './sim-command.js';
import type { CommandHandler } from './sim-command.js';
import { SimCommandError, simErrors } from './sim-errors.js';
import { touchOrder } from './sim-state.js';
import type {
  RkDishLine, RkDishVoid, RkModiLine, RkOrder, RkPrepayLine, RkSession, SimState,
} from './sim-state.js';

/** Elements of a Session that describe it rather than add lines. */
const SESSION_METADATA = new Set(['Station', 'Author', 'Creator', 'Course']);

/** Line kinds the station knows but the simulator does not model. */
const UNMODELLED_LINES = new Set(['Combo', 'Discount', 'Consum']);

type PlannedDish = Omit<RkDishLine, 'uni' | 'lineGuid' | 'modifiers'> & {
  modis: Omit<RkModiLine, 'uni' | 'lineGuid'>[];
};
type PlannedLine = PlannedDish | Omit<RkPrepayLine, 'uni' | 'lineGuid'>;

/** A `<Dish uni|line_guid><Void/></Dish>`: an existing line voided whole. */
interface PlannedVoid {
  target: RkDishLine;
  void: RkDishVoid;
}

interface PlannedSession {
  stationIdent: number | undefined;
  lines: PlannedLine[];
  voids: PlannedVoid[];
}

/**
 * `SaveOrder` (§5.5, §8.3): appends one session per `<Session>` with its dishes (menu price when
 * `price` is absent) and prepayments. A `<Dish>` naming an existing line (`line_guid` or `uni`)
 * with a `<Void>` child voids that line whole, its modifiers with it (§4, §6.6). A line naming an
 * unknown menu item, currency, order line or void reason is answered with an `<Error>` echoing
 * it in `<FaultyTag>`, and the rest is applied.
 */
export const saveOrder: CommandHandler = (command, ctx) => {
  const { state } = ctx;
  const order = requireOrder(state, command);
  if (order.deleted) throw simErrors.orderDeleted();
  if (order.paid || order.finished) throw simErrors.orderAlreadyPaid();
  if (state.visits.get(order.visit)?.finished === true) {
    throw simErrors.visitClosed(order.visit, ctx.settings.language);
  }
  checkLock(order, command, ctx.now.getTime());

  const sessionEls = childrenNamed(command, 'Session');
  if (sessionEls.length === 0) throw simErrors.childNotFound('Session');
  const errors: XmlElement[] = [];
  const voided = new Set<RkDishLine>();
  const planned = sessionEls.map((s) => planSession(state, order, s, { errors, voided }));

  const voids = planned.flatMap((p) => p.voids);
  for (const { target, void: detail } of voids) voidLine(target, detail);
  const added = planned
    .filter((p) => p.lines.length > 0)
    .map((p) => appendSession(order, p));
  const changed = added.length > 0 || voids.length > 0;
  if (changed) touchOrder(state, order);

  return {
    children: [
      ...errors,
      renderOrder(state, order),
      ...added.map((s) => xmlElement('Session', {
        line_guid: wireGuid(s.lineGuid), sessionID: s.uni,
      })),
    ],
    changed,
  };
};

function planSession(
  state: SimState,
  order: RkOrder,
  session: XmlElement,
  seen: { errors: XmlElement[]; voided: Set<RkDishLine> },
): PlannedSession {
  if (attr(session, 'uni') !== undefined) {
    throw simErrors.notSupported('Overwriting a session (Session@uni)');
  }

  const station = optionalRef(session, 'Station', state.refs.stations, 'Cashes');
  const planned: PlannedSession = { stationIdent: station?.ident, lines: [], voids: [] };
  for (const el of session.children) {
    if (SESSION_METADATA.has(el.name)) continue;
    if (UNMODELLED_LINES.has(el.name)) throw simErrors.notSupported(`${el.name} lines`);

    if (el.name === 'Dish' && childrenNamed(el, 'Void').length > 0) {
      const planVoid = () => planDishVoid(state, order, el, seen.voided);
      const v = orError(el, seen.errors, planVoid);
      if (v !== undefined) planned.voids.push(v);
      continue;
    }
    const line = el.name === 'Dish'
      ? orError(el, seen.errors, () => planDish(state, el))
      : el.name === 'Prepay'
        ? orError(el, seen.errors, () => planPrepay(state, el))
        : undefined;
    if (line !== undefined) planned.lines.push(line);
  }
  return planned;
}

/**
 * A void must name a live dish line of the order, cover its whole quantity (partial voids are
 * not modelled) and give a reason allowed for dish returns.
 */
function planDishVoid(
  state: SimState,
  order: RkOrder,
  el: XmlElement,
  voided: Set<RkDishLine>,
): PlannedVoid {
  const [voidEl, ...more] = childrenNamed(el, 'Void');
  if (voidEl === undefined || more.length > 0) throw simErrors.notSupported('Several voids');

  const lineGuid = guidAttr(el, 'line_guid');
  const uni = intAttr(el, 'uni');
  const names = (line: RkDishLine) =>
    (lineGuid !== undefined ? line.lineGuid === lineGuid : uni !== undefined && line.uni === uni);
  const target = order.sessions.flatMap((s) => s.lines)
    .find((line): line is RkDishLine => line.kind === 'dish' && names(line));
  const name = lineGuid ?? String(uni ?? '');
  if (target === undefined) throw simErrors.lineNotFound(name);
  if (target.state === 7 || voided.has(target)) throw simErrors.lineAlreadyVoided(name);

  const reason = resolveRef(voidEl, state.refs.voidReasons, 'OrderVoids');
  if (!reason.flags.includes('ImplOnDishReturn')) {
    throw simErrors.voidReasonNotAllowed(reason.name, 'ImplOnDishReturn');
  }
  const quantity = requiredIntAttr(voidEl, 'quantity');
  if (quantity !== target.quantity) throw simErrors.notSupported('Voiding part of a line');
  const author = optionalRef(voidEl, 'Author', state.refs.employees, 'Employees');

  voided.add(target);
  return { target, void: { reasonIdent: reason.ident, quantity, authorIdent: author?.ident } };
}

function voidLine(line: RkDishLine, detail: RkDishVoid): void {
  line.state = 7;
  line.void = detail;
  for (const modifier of line.modifiers) modifier.state = 7;
}

function planDish(state: SimState, el: XmlElement): PlannedLine {
  const item = resolveRef(el, state.refs.menu, 'MenuItems');
  const quantity = requiredIntAttr(el, 'quantity');
  const price = intAttr(el, 'price') ?? item.price;
  const modis = childrenNamed(el, 'Modi').map((m) => {
    const modifier = resolveRef(m, state.refs.modifiers, 'Modifiers');
    return {
      modiIdent: modifier.ident,
      count: intAttr(m, 'count') ?? 1,
      price: intAttr(m, 'price') ?? modifier.price,
      state: 1 as const,
    };
  });
  return { kind: 'dish', menuIdent: item.ident, quantity, price, state: 1, modis };
}

function planPrepay(state: SimState, el: XmlElement): PlannedLine {
  const currency = resolveRef(el, state.refs.currencies, 'Currencies');
  const amount = requiredIntAttr(el, 'amount');
  const reason = optionalRef(el, 'Reason', state.refs.prepayReasons, 'PrepayReasons');
  return {
    kind: 'prepay',
    currencyIdent: currency.ident,
    amount,
    promised: boolAttr(el, 'promised') ?? false,
    reasonIdent: reason?.ident,
    state: 1,
  };
}

/** Unknown references become `<Error>` lines; malformed attributes still refuse the command. */
function orError<T>(
  el: XmlElement,
  errors: XmlElement[],
  plan: () => T,
): T | undefined {
  try {
    return plan();
  } catch (err) {
    if (!(err instanceof SimCommandError) || err.status !== 'Query Executing Error') throw err;

    errors.push(xmlElement('Error', { RK7ErrorN: err.rk7ErrorN, ErrorText: err.text }, [
      xmlElement('FaultyTag', {}, [el]),
    ]));
    return undefined;
  }
}

function appendSession(order: RkOrder, planned: PlannedSession): RkSession {
  const session: RkSession = {
    uni: order.nextUni++,
    lineGuid: newGuid(),
    printed: false,
    stationIdent: planned.stationIdent,
    lines: [],
  };
  for (const line of planned.lines) {
    const ids = { uni: order.nextUni++, lineGuid: newGuid() };
    if (line.kind === 'dish') {
      const { modis, ...dish } = line;
      const modifiers = modis.map((m) => ({ ...m, uni: order.nextUni++, lineGuid: newGuid() }));
      session.lines.push({ ...dish, ...ids, modifiers });
    } else {
      session.lines.push({ ...line, ...ids });
    }
  }
  order.sessions.push(session);
  return session;
}
