import { attr, childrenNamed, xmlElement } from '../cash/rk7/xml-element.js';
import type { XmlElement } from '../cash/rk7/xml-element.js';
import { renderOrder, wireGuid } from './order-view.js';
import {
  boolAttr, checkLock, intAttr, optionalRef, requiredIntAttr, requireOrder, resolveRef,
} from './request-reading.js';
import { newGuid } from './sim-command.js';
import type { CommandHandler } from './sim-command.js';
import { SimCommandError, simErrors } from './sim-errors.js';
import { touchOrder } from './sim-state.js';
import type {
  RkDishLine, RkModiLine, RkOrder, RkPrepayLine, RkSession, SimState,
} from './sim-state.js';

/** Elements of a Session that describe it rather than add lines. */
const SESSION_METADATA = new Set(['Station', 'Author', 'Creator', 'Course']);

/** Line kinds the station knows but the simulator does not model. */
const UNMODELLED_LINES = new Set(['Combo', 'Discount', 'Void', 'Consum']);

type PlannedDish = Omit<RkDishLine, 'uni' | 'lineGuid' | 'modifiers'> & {
  modis: Omit<RkModiLine, 'uni' | 'lineGuid'>[];
};
type PlannedLine = PlannedDish | Omit<RkPrepayLine, 'uni' | 'lineGuid'>;

interface PlannedSession {
  stationIdent: number | undefined;
  lines: PlannedLine[];
}

/**
 * `SaveOrder` (§5.5, §8.3): appends one session per `<Session>` with its dishes (menu price when
 * `price` is absent) and prepayments. A line naming an unknown menu item or currency is answered
 * with an `<Error>` echoing it in `<FaultyTag>`, and the rest is applied.
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
  const planned = sessionEls.map((s) => planSession(state, s, errors));

  const added = planned
    .filter((p) => p.lines.length > 0)
    .map((p) => appendSession(order, p));
  if (added.length > 0) touchOrder(state, order);

  return {
    children: [
      ...errors,
      renderOrder(state, order),
      ...added.map((s) => xmlElement('Session', {
        line_guid: wireGuid(s.lineGuid), sessionID: s.uni,
      })),
    ],
    changed: added.length > 0,
  };
};

function planSession(state: SimState, session: XmlElement, errors: XmlElement[]): PlannedSession {
  if (attr(session, 'uni') !== undefined) {
    throw simErrors.notSupported('Overwriting a session (Session@uni)');
  }

  const station = optionalRef(session, 'Station', state.refs.stations, 'Cashes');
  const lines: PlannedLine[] = [];
  for (const el of session.children) {
    if (SESSION_METADATA.has(el.name)) continue;
    if (UNMODELLED_LINES.has(el.name)) throw simErrors.notSupported(`${el.name} lines`);

    const line = el.name === 'Dish'
      ? lineOrError(el, errors, () => planDish(state, el))
      : el.name === 'Prepay'
        ? lineOrError(el, errors, () => planPrepay(state, el))
        : undefined;
    if (line !== undefined) lines.push(line);
  }
  return { stationIdent: station?.ident, lines };
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
function lineOrError(
  el: XmlElement,
  errors: XmlElement[],
  plan: () => PlannedLine,
): PlannedLine | undefined {
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
