import { FieldProblems } from '../errors/hub-error.js';
import type { MenuIndex } from '../menu/menu-index.js';
import type { Corporation, Restaurant } from '../store/chain-repo.js';
import { type ChangeField, type ChangeOrderInput, mergeFields } from './change-order-input.js';
import { checkDeliveryFields } from './delivery-fields.js';
import { readExpectedAt } from './expected-at.js';
import { checkGuestPhone } from './guest-phone.js';
import { type PricedLine, priceLines } from './order-pricing.js';
import {
  type Address, type ExpeditionType, type Guest, type OrderRecord, type PaymentTypeId,
  isPersonsCount,
} from './order-record.js';

const EXPEDITION_TYPES: readonly string[] = ['delivery', 'pickup'];
const PAYMENT_TYPES: readonly string[] = ['cash', 'card', 'online'];

/** What the rules need besides the order and the body. */
export interface ChangeContext {
  corporation: Corporation;
  /** The order's restaurant after the change. */
  restaurant: Restaurant;
  /** Its menu with the stop list; needed only when `dishList` was sent. */
  menu: MenuIndex | undefined;
  now: number;
}

/** The order's fields after the change. `lines` only when a new `dishList` was sent. */
export interface ChangedOrder {
  expeditionType: ExpeditionType;
  paymentTypeId: PaymentTypeId;
  persons: number;
  comment: string;
  guest: Guest;
  address: Address | null;
  expectedAt: string | null;
  soonest: boolean;
  changeFrom: number | null;
  lines: PricedLine[] | undefined;
}

/**
 * Applies a PATCH to an order and checks it (`delivery-api.md` §11.1): nested objects are merged
 * field by field, `dishList` replaces the lines and is priced as on create. The four rules on
 * required fields decide what is checked, always on the values after the merge:
 * 1. a field that is not mandatory is checked only for its value (`persons`, `changeFrom`…);
 * 2. a mandatory field that is sent is validated (`guest` → the phone of a delivery order);
 * 3. the whole order is validated when the whole order is sent — which always carries
 *    `expeditionType`, so rule 4 covers it;
 * 4. sending `expeditionType` validates every field mandatory for that order type.
 * Every problem is answered at once as `order_validation`, with the messages of create.
 */
export function applyChange(
  order: OrderRecord, input: ChangeOrderInput, ctx: ChangeContext,
): ChangedOrder {
  const problems = new FieldProblems();
  const { sent, values } = input;
  const checks = (field: ChangeField) => sent.has('expeditionType') || sent.has(field);

  const expeditionType = sent.has('expeditionType') ? values.expeditionType : order.expeditionType;
  if (!expeditionType) problems.add('expeditionType', 'Value is required');
  else if (!EXPEDITION_TYPES.includes(expeditionType)) {
    problems.add('expeditionType', 'Value is not allowed');
  }
  const paymentTypeId = sent.has('paymentTypeId') ? values.paymentTypeId : order.paymentTypeId;
  if (!paymentTypeId) problems.add('paymentTypeId', 'Value is required');
  else if (!PAYMENT_TYPES.includes(paymentTypeId)) {
    problems.add('paymentTypeId', 'Value is not allowed');
  }
  if (sent.has('persons') && !isPersonsCount(values.persons ?? 0)) {
    problems.add('persons', 'Value is not allowed');
  }
  if (sent.has('changeFrom') && (values.changeFrom ?? 0) < 0) {
    problems.add('changeFrom', 'Value is not allowed');
  }

  const guest = mergeFields(order.guest, input.guest);
  const address = sent.has('address') ? mergeFields(order.address ?? {}, input.address)
    : order.address;
  checkGuestPhone(input.guest.phone, problems);
  if (expeditionType === 'delivery') {
    checkDeliveryFields(guest, address, problems,
      { guest: checks('guest'), address: checks('address') });
  }

  const when = scheduleOf(order, input, ctx, problems);
  const lines = sent.has('dishList')
    ? priceLines(values.dishes, {
      menu: ctx.menu as MenuIndex, checkPrices: ctx.corporation.checkContentsAndPrice,
    }, problems)
    : undefined;

  problems.throwIfAny('order_validation');
  return {
    expeditionType: expeditionType as ExpeditionType,
    paymentTypeId: paymentTypeId as PaymentTypeId,
    persons: sent.has('persons') ? values.persons as number : order.persons,
    comment: sent.has('comment') ? values.comment : order.comment,
    guest,
    address,
    ...when,
    changeFrom: sent.has('changeFrom') ? values.changeFrom ?? null : order.changeFrom,
    lines,
  };
}

/**
 * `soonest` and `expectedAt` after the change. `soonest` wins over `expectedAt`, as on create; an
 * `expectedAt` sent without `soonest` names a time, so the order becomes a scheduled one. A
 * time that is sent needs a zone and the restaurant's lead time; a kept one was checked when set.
 */
function scheduleOf(
  order: OrderRecord, input: ChangeOrderInput, ctx: ChangeContext, problems: FieldProblems,
): Pick<ChangedOrder, 'expectedAt' | 'soonest'> {
  const { sent, values } = input;
  const soonest = sent.has('soonest') ? values.soonest : sent.has('expectedAt') ? false
    : order.soonest;
  if (soonest) return { soonest, expectedAt: null };
  if (!sent.has('expectedAt')) {
    const mustHaveTime = sent.has('soonest') || sent.has('expeditionType');
    if (mustHaveTime && order.expectedAt === null) {
      problems.add('expectedAt', 'Select the time of receipt');
    }
    return { soonest, expectedAt: order.expectedAt };
  }

  const expectedAt = readExpectedAt(values.expectedAt, ctx.restaurant, ctx.now, problems);
  return { soonest, expectedAt: expectedAt ?? order.expectedAt };
}
