import { type DemoClient, type HubReply, asObject } from './demo-client.js';
import { type DemoReport, show } from './demo-report.js';
import { STORY_TOTAL, type StoryOrder, readOrder } from './story-order.js';

/** The r_keeper currency of the story (roubles) and its payment time, as documented. */
const ROUBLES = '16D72549-14D8-4F31-9E2A-0A833D4F5EED';
const PAID_AT = '2022-04-05T15:12:58.658+03:00';
const SHORT_AMOUNT = 900;

const NOT_ENOUGH_MONEY = 'WS error: Error code: WsaOrderError. RkInternal: Cash station [3373] '
  + 'There is not enough money to fully pay the order.';
const COMPLETED = 11;

/**
 * Steps 5–8 of the demo, on an order at the cash station: a short payment and a close of the
 * unpaid order, both refused with the documented errors (`delivery-api.md` §11.3, §11.4), then
 * the full payment and the close. Stops at the first step that deviates.
 *
 * @returns true when all four steps held.
 */
export async function settleSteps(
  client: DemoClient, report: DemoReport, order: StoryOrder,
): Promise<boolean> {
  return await payShort(client, report, order)
    && await closeUnpaid(client, report, order)
    && await payInFull(client, report, order)
    && await closePaid(client, report, order);
}

async function payShort(client: DemoClient, report: DemoReport, order: StoryOrder) {
  report.step(5, `Pay ${SHORT_AMOUNT.toFixed(2)} of ${STORY_TOTAL.toFixed(2)}: `
    + 'the cash station must refuse');
  const reply = await client.run((hub) => hub.pay(order.orderId, payment(SHORT_AMOUNT)));
  if (!expectRefusal(report, reply, 'ERR_EXTERNAL_ERROR_WS', NOT_ENOUGH_MONEY)) return false;

  const after = await readOrder(client, report, order.orderId);
  if (!after) return false;
  return report.passIf([
    report.expect('paymentStatus', after.paymentStatus, 'notPaid'),
    report.expect('payments', after.payments, null),
  ], 'the order is still notPaid, no payment recorded');
}

async function closeUnpaid(client: DemoClient, report: DemoReport, order: StoryOrder) {
  report.step(6, 'Close the unpaid order: the cash station must refuse');
  const reply = await client.run((hub) => hub.complete(order.orderId));
  const msg = `RkInternal: Cash station [3071] Cannot save order ${order.posOrderName}, `
    + 'it is not fully paid';
  if (!expectRefusal(report, reply, 'rk7_close_order', msg)) return false;

  const after = await readOrder(client, report, order.orderId);
  if (!after) return false;
  return report.passIf([
    report.expect('orderStatusId', after.orderStatusId, 4),
    report.expect('completedAt', after.completedAt, null),
  ], 'the order is still at the kitchen (status 4), not completed');
}

async function payInFull(client: DemoClient, report: DemoReport, order: StoryOrder) {
  report.step(7, `Pay ${STORY_TOTAL.toFixed(2)} in roubles (currency ${ROUBLES})`);
  const reply = await client.run((hub) => hub.pay(order.orderId, payment(STORY_TOTAL)));
  if (!expectSuccess(report, reply)) return false;

  const after = await readOrder(client, report, order.orderId);
  if (!after) return false;
  const items = Array.isArray(after.payments) ? after.payments : [];
  const item = asObject(items[0]);
  const paidAt = item.paidAt;
  return report.passIf([
    report.expect('paymentStatus', after.paymentStatus, 'paid'),
    report.expect('number of payments', items.length, 1),
    report.expectThat('payments[0].code', String(item.code).toUpperCase() === ROUBLES, item.code,
      ROUBLES),
    report.expect('payments[0].amount', item.amount, STORY_TOTAL),
    report.expectThat('payments[0].paidAt',
      typeof paidAt === 'string' && Date.parse(paidAt) === Date.parse(PAID_AT), paidAt,
      `the instant ${PAID_AT}`),
    report.expect('payments[0].name', item.name, ''),
  ], `the order is paid: ${show(items)}`);
}

async function closePaid(client: DemoClient, report: DemoReport, order: StoryOrder) {
  report.step(8, 'Close the paid order');
  const reply = await client.run((hub) => hub.complete(order.orderId));
  if (!expectSuccess(report, reply)) return false;

  const after = await readOrder(client, report, order.orderId);
  if (!after) return false;
  const completedAt = after.completedAt;
  return report.passIf([
    report.expect('orderStatusId', after.orderStatusId, COMPLETED),
    report.expectThat('completedAt',
      typeof completedAt === 'string' && !Number.isNaN(Date.parse(completedAt)), completedAt,
      'a date-time'),
  ], `the order is completed: status ${COMPLETED} ${show(after.orderStatusName)}, `
    + `completedAt ${show(completedAt)}`);
}

function payment(amount: number) {
  return [{ code: ROUBLES, amount, paidAt: PAID_AT, name: '' }];
}

/** HTTP 200 with exactly `{"result":{}}`, the documented success of pay and complete. */
function expectSuccess(report: DemoReport, reply: HubReply): boolean {
  if (!report.expectStatus('HTTP status', reply, 200)) return false;
  return report.passIf([report.expect('body', reply.body, { result: {} })],
    `200 ${reply.text}`);
}

/** HTTP 500 in the error envelope of §13.1 with exactly this code and msg. */
function expectRefusal(report: DemoReport, reply: HubReply, code: string, msg: string): boolean {
  if (!report.expectStatus('HTTP status', reply, 500)) return false;

  const body = asObject(reply.body);
  const requestId = body.requestId;
  const held = report.passIf([
    report.expect('code', body.code, code),
    report.expect('msg', body.msg, msg),
    report.expect('errors', body.errors, null),
    report.expectThat('requestId', typeof requestId === 'string' && requestId !== '', requestId,
      'a non-empty string'),
  ], `500 ${code}: ${show(msg)}`);
  if (held) report.pass(`errors null, requestId ${show(requestId)}`);
  return held;
}
