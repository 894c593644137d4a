import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_GEO } from '../src/geo/demo-geography.js';
import { DEMO } from '../src/store/seed-demo.js';
import { demoOrderBody, piesOrderBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const ZERO_LOYALTY = {
  totalAmount: 0, loyaltyDiscountAmount: 0,
  bonuses: {
    guestBalance: 0, rankName: '', maxBonusesForPayment: 0, accrualWithPayment: 0,
    accrualWithoutPayment: 0,
  },
  loyaltyPrograms: [], fingerPrint: '', useRkLoyalty: false, useLoyaltyBonusPayments: false,
  loyaltyPromo: [], loyaltyType: '',
};

function deliveredTo(point: { lat: number; lon: number }, overrides: Record<string, unknown> = {}) {
  return demoOrderBody({
    address: { street: 'Тверская улица', houseNumber: '13', cityName: 'Москва',
      lat: point.lat, lon: point.lon },
    ...overrides,
  });
}

describe('pre-calculation of a draft order (E6)', () => {
  let env: TestEnv;
  let t: TestHub;
  const orderCount = async () =>
    (await t.hub.store.db.selectFrom('orders').select('id').execute()).length;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env);
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  test('the documented draft is priced with the zone\'s delivery fee', async () => {
    // The documentation's example, with the demo menu's dishes and a point in the demo zone.
    const draft = {
      dishList: [
        { id: DEMO.dishes.caesar, name: 'Caesar salad', price: 400, discount: 0, schemeId: '',
          description: '', imageUrls: [], measure: { value: 0, unit: '' },
          isContainInStopList: [], quantity: 1, ingredients: [], isListStoped: false },
        { id: DEMO.dishes.borscht, price: '290', quantity: '1' },
        { id: DEMO.dishes.mors, quantity: 2 },
      ],
      address: {
        postcode: '125032', cityId: DEMO_GEO.moscowId, street: 'Тверская улица',
        comment: '', lat: String(DEMO_GEO.inside.lat), lon: String(DEMO_GEO.inside.lon),
        cityName: 'Москва', entrance: '1', houseNumber: '13', apartmentNumber: '6',
        subway: 'Pushkinskaya', fullAddress: '125032, Москва, Тверская улица, 13, кв. 6',
      },
      expectedAt: '2022-06-16T09:41:08.278+03:00', soonest: true, useLoyalty: false,
      restaurantId: DEMO.restaurantId, phone: '79000000001',
    };
    const reply = await t.api('POST', '/orders/delivery', draft);

    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(reply.body, {
      result: {
        amount: {
          discounts: { useRk7Discounts: false, total: 978, discount: 0, discountList: [] },
          loyaltyAmount: ZERO_LOYALTY,
          deliveryAmount: 150,
          amount: 978,
          fullAmount: 1128,
        },
      },
    });
  });

  test('the pre-calculation equals what create then stores', async () => {
    const drafts = [
      deliveredTo(DEMO_GEO.inside),
      deliveredTo(DEMO_GEO.inside, { dishList: [{ id: DEMO.dishes.caesar, quantity: 6 }] }),
      deliveredTo(DEMO_GEO.inside, { dishList: [
        { id: DEMO.dishes.shashlik, quantity: 0.35 }, { id: DEMO.dishes.pie, quantity: 1 },
      ] }),
      demoOrderBody(),
      piesOrderBody(),
    ];
    for (const draft of drafts) {
      const quoted = (await t.api('POST', '/orders/delivery', draft)).body.result.amount;
      const created = await t.api('POST', '/orders', draft);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const order = (await t.api('GET', `/orders/${created.body.result.orderId}`)).body.result;

      const label = JSON.stringify(draft.dishList);
      assert.equal(quoted.amount, order.amount, label);
      assert.equal(quoted.deliveryAmount, order.deliveryAmount, label);
      assert.equal(quoted.fullAmount, order.fullAmount, label);
    }
  });

  test('pickup costs no delivery', async () => {
    const reply = await t.api('POST', '/orders/delivery', {
      ...piesOrderBody(), address: { lat: DEMO_GEO.inside.lat, lon: DEMO_GEO.inside.lon },
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.result.amount.deliveryAmount, 0);
    assert.equal(reply.body.result.amount.amount, 299.97);
    assert.equal(reply.body.result.amount.fullAmount, 299.97);
  });

  test('failing drafts answer the create codes and store nothing', async () => {
    const before = await orderCount();
    const cases: [Record<string, unknown>, number, string, string[]][] = [
      [deliveredTo(DEMO_GEO.outside), 400, 'order_validation', ['address']],
      [deliveredTo(DEMO_GEO.inside, { dishList: [{ id: DEMO.dishes.pie, quantity: 1 }] }),
        400, 'order_validation', ['dishList']],
      [demoOrderBody({ dishList: [{ id: 'no-such-dish', quantity: 1 }] }), 400,
        'order_validation', ['dishList[0].id']],
      [demoOrderBody({ dishList: [] }), 400, 'order_validation', ['dishList']],
      [demoOrderBody({ expeditionType: 'drone', paymentTypeId: 'bitcoin' }), 400,
        'order_validation', ['expeditionType', 'paymentTypeId']],
      [demoOrderBody({ dishList: [{ id: DEMO.dishes.caesar, price: '4OO', quantity: 1 }] }),
        400, 'ERR_PARSE_REQUEST', ['dishList[0].price']],
      [demoOrderBody({ restaurantId: undefined }), 400, 'order_validation', ['restaurantId']],
    ];
    for (const [draft, status, code, fields] of cases) {
      const reply = await t.api('POST', '/orders/delivery', draft);
      const label = JSON.stringify(draft);
      assert.equal(reply.status, status, label);
      assert.equal(reply.body.code, code, label);
      assert.deepEqual(Object.keys(reply.body.errors ?? {}), fields, label);
    }

    const unknown = await t.api('POST', '/orders/delivery',
      demoOrderBody({ restaurantId: '00000000-0000-0000-0000-000000000000' }));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'restaurant_not_found');
    assert.equal(await orderCount(), before);
    assert.equal(t.hub.simulator?.commandCount('CreateOrder'), 0);
  });

  test('it needs a bearer token and a JSON object', async () => {
    assert.equal((await t.api('POST', '/orders/delivery', demoOrderBody(), null)).status, 401);
    const reply = await t.api('POST', '/orders/delivery', [1, 2]);
    assert.equal(reply.status, 400);
    assert.equal(reply.body.code, 'ERR_PARSE_REQUEST');
  });
});
