import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO } from '../src/store/seed-demo.js';
import { demoOrderBody, payBody, piesOrderBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

/** Changing orders over HTTP (`delivery-api.md` §11.1), before the kitchen and at the station. */

const { caesar, borscht, mors, pie } = DEMO.dishes;

describe('PATCH /orders/{id}', () => {
  let env: TestEnv;
  let t: TestHub;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env);
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  const sim = () => {
    const simulator = t.hub.simulator;
    assert.ok(simulator, 'the embedded simulator runs');
    return simulator;
  };
  const order = async (id: string) => (await t.api('GET', `/orders/${id}`)).body.result;
  const patch = (id: string, body: unknown) => t.api('PATCH', `/orders/${id}`, body);
  const create = async (body = demoOrderBody()) =>
    (await t.api('POST', '/orders', body)).body.result.orderId as string;
  const atStation = async () => {
    const id = await create();
    await t.runTimers();
    assert.equal((await order(id)).orderStatusId, 4);
    const row = await t.hub.store.db.selectFrom('orders').select('posOrderGuid')
      .where('id', '=', Number(id)).executeTakeFirstOrThrow();
    return { id, guid: row.posOrderGuid as string };
  };
  const dishes = (view: { dishList: { id: string; quantity: number }[] }) =>
    view.dishList.map((d) => `${d.id}×${d.quantity}`);
  /** Dish lines of the station order: live ones, and the voided ones (state 7). */
  const stationLines = (guid: string) => {
    const lines = (sim().getOrder(guid)?.sessions ?? []).flatMap((s) => s.lines)
      .flatMap((l) => (l.kind === 'dish' ? [l] : []));
    const name = (l: { menuIdent: number; quantity: number }) => `${l.menuIdent}×${l.quantity}`;
    return {
      live: lines.filter((l) => l.state !== 7).map(name).sort(),
      voided: lines.filter((l) => l.state === 7).map(name).sort(),
    };
  };
  const expectValidation = (res: { status: number; body: any }, fields: string[]) => {
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.code, 'order_validation');
    assert.deepEqual(Object.keys(res.body.errors).sort(), [...fields].sort());
  };
  const setModification = (allowOrderModification: number) => t.hub.store.db
    .updateTable('corporations').set({ allowOrderModification })
    .where('id', '=', DEMO.corporationId).execute();

  describe('before the kitchen', () => {
    test('guest is merged field by field; the version moves on', async () => {
      const id = await create();
      const before = await order(id);

      const res = await patch(id, { guest: { phone: '79000000004', firstName: 'Guest' } });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { result: {} });
      const view = await order(id);
      assert.equal(view.guest.phone, '79000000004');
      assert.equal(view.guest.email, 'guest@example.com', 'unsent fields stay');
      assert.equal(view.version, before.version + 1);
      assert.equal(view.orderStatusId, 3);
      assert.equal(sim().commandCount('UpdateOrder'), 0, 'nothing goes to the station');
    });

    test('address is merged field by field', async () => {
      const id = await create();

      assert.equal((await patch(id, { address: { houseNumber: '87', entrance: '2' } })).status,
        200);
      const view = await order(id);
      assert.equal(view.address.houseNumber, '87');
      assert.equal(view.address.entrance, '2');
      assert.equal(view.address.street, 'Yunykh Lenintsev');
      assert.equal(view.address.apartmentNumber, '6');
    });

    test('dishList is replaced as a whole and priced from the menu', async () => {
      const id = await create();

      const res = await patch(id, { dishList: [{ id: pie, quantity: 3, price: '99.99' }] });
      assert.equal(res.status, 200);
      const view = await order(id);
      assert.deepEqual(dishes(view), [`${pie}×3`]);
      assert.equal(view.dishList[0].name, 'Pie');
      assert.equal(view.amount, 299.97);
      assert.equal(view.fullAmount, 299.97);
    });

    test('a wrong dish or price is order_validation; nothing changes', async () => {
      const id = await create();
      const before = await order(id);

      expectValidation(await patch(id, {
        dishList: [{ id: 'no-such-dish', quantity: 1 }, { id: pie, quantity: 1, price: 50 }],
      }), ['dishList[0].id', 'dishList[1].price']);
      expectValidation(await patch(id, { dishList: [] }), ['dishList']);
      const after = await order(id);
      assert.deepEqual(dishes(after), dishes(before));
      assert.equal(after.version, before.version);
    });

    test('rule 1: fields that are not mandatory are not checked for mandatory ones', async () => {
      const id = await create(piesOrderBody());

      assert.equal((await patch(id, { comment: 'no onions', persons: '2' })).status, 200);
      const view = await order(id);
      assert.equal(view.comment, 'no onions');
      assert.equal(view.persons, 2);
      assert.equal(view.address, null, 'a pickup order without an address is fine');
    });

    test('rule 2: a mandatory field sent is validated', async () => {
      const id = await create();

      expectValidation(await patch(id, { guest: { phone: '' } }), ['guest.phone']);
      expectValidation(await patch(id, { address: { street: ' ', cityName: '' } }),
        ['address.street', 'address.cityName']);
      expectValidation(await patch(id, { paymentTypeId: 'bitcoin' }), ['paymentTypeId']);
      assert.equal((await order(id)).guest.phone, '79000000001');
    });

    test('rule 3: the whole order sent is validated as a whole', async () => {
      const id = await create();
      const whole = demoOrderBody({ comment: 'changed as a whole', orderId: id });

      assert.equal((await patch(id, whole)).status, 200);
      assert.equal((await order(id)).comment, 'changed as a whole');
      expectValidation(await patch(id, demoOrderBody({
        address: { street: 'Yunykh Lenintsev', cityName: 'Moscow', houseNumber: '' },
      })), ['address.houseNumber']);
    });

    test('rule 4: expeditionType validates every field its type needs', async () => {
      const id = await create(piesOrderBody());

      expectValidation(await patch(id, { expeditionType: 'delivery' }), ['address']);
      const res = await patch(id, {
        expeditionType: 'delivery',
        address: { street: 'Lenina', houseNumber: '1', cityName: 'Moscow' },
      });
      assert.equal(res.status, 200);
      const view = await order(id);
      assert.equal(view.expeditionType, 'delivery');
      assert.equal(view.address.street, 'Lenina');
    });

    test('orderStatusId and orderStatusName are ignored', async () => {
      const id = await create();

      const res = await patch(id,
        { orderStatusId: 11, orderStatusName: 'Completed', comment: 'x' });
      assert.equal(res.status, 200);
      const view = await order(id);
      assert.equal(view.orderStatusId, 3);
      assert.equal(view.comment, 'x');
    });

    test('a change that changes nothing writes nothing: same version and updatedAt', async () => {
      const id = await create();
      assert.equal((await patch(id, { comment: 'same' })).status, 200);
      const before = await order(id);

      for (const body of [{}, { comment: 'same' }, { orderStatusId: 11 }, { dishList: null },
        { guest: { phone: before.guest.phone } }]) {
        assert.equal((await patch(id, body)).status, 200, JSON.stringify(body));
        const now = await order(id);
        assert.deepEqual([now.version, now.updatedAt], [before.version, before.updatedAt],
          JSON.stringify(body));
      }
      assert.equal((await patch(id, { comment: 'other' })).status, 200);
      assert.equal((await order(id)).version, before.version + 1);
    });

    test('type problems are ERR_PARSE_REQUEST naming the field', async () => {
      const id = await create();

      const res = await patch(id, { persons: 'two', dishList: [{ id: pie, quantity: '1,5' }] });
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 'ERR_PARSE_REQUEST');
      assert.deepEqual(Object.keys(res.body.errors).sort(), ['dishList[0].quantity', 'persons']);
      assert.equal((await patch(id, [1])).body.code, 'ERR_PARSE_REQUEST');
      const many = await patch(id, { persons: 1000 });
      assert.equal(many.status, 400);
      assert.deepEqual(Object.keys(many.body.errors), ['persons']);
    });

    test('a new expectedAt makes the order scheduled and moves its transfer', async () => {
      const id = await create();
      const due = new Date(Date.now() + 3 * 3_600_000);
      due.setUTCMilliseconds(0);
      const local = due.toISOString().replace('Z', '+00:00');

      assert.equal((await patch(id, { expectedAt: local })).status, 200);
      const view = await order(id);
      assert.equal(view.soonest, false);
      assert.equal(view.expectedAt, local.replace('.000', ''));
      const timer = await t.hub.orders.timers.find('transfer', Number(id));
      assert.equal(timer?.dueAt, new Date(due.getTime() - 3_600_000).toISOString());

      expectValidation(await patch(id, { expectedAt: '2024-03-01T18:00:00' }), ['expectedAt']);
      const farAhead = new Date(Date.now() + 61 * 86_400_000).toISOString();
      const tooFar = await patch(id, { expectedAt: farAhead });
      expectValidation(tooFar, ['expectedAt']);
      assert.deepEqual(tooFar.body.errors.expectedAt,
        ['The requested time is more than 60 days ahead']);
      assert.equal((await order(id)).expectedAt, local.replace('.000', ''));
      assert.equal((await patch(id, { soonest: true })).status, 200);
      assert.equal((await order(id)).expectedAt, null);
    });

    test('a corporation that prohibits changes refuses them', async () => {
      const id = await create();
      await setModification(0);
      try {
        const res = await patch(id, { comment: 'x' });
        assert.equal(res.status, 422);
        assert.equal(res.body.code, 'err_unprocessable_entity');
        assert.equal(res.body.msg, 'order modification is prohibited');
      } finally {
        await setModification(1);
      }
      assert.equal((await patch(id, { comment: 'x' })).status, 200);
    });

    test('a cancelled order cannot change', async () => {
      const id = await create();
      await t.api('PUT', `/orders/${id}/reject`);

      const res = await patch(id, { comment: 'x' });
      assert.equal(res.status, 422);
      assert.equal(res.body.msg, `Order ${id} is cancelled`);
    });

    test('an unknown order is order_not_found', async () => {
      assert.equal((await patch('999999', { comment: 'x' })).body.code, 'order_not_found');
    });
  });

  describe('at the cash station', () => {
    test('new dishes are added and removed ones voided at the station first', async () => {
      const { id, guid } = await atStation();
      const saves = sim().commandCount('SaveOrder');
      const before = await order(id);

      const res = await patch(id, { dishList: [
        { id: caesar, quantity: 1 }, { id: mors, quantity: 2 }, { id: pie, quantity: 1 },
      ] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(stationLines(guid), { live: ['101×1000', '103×2000', '104×1000'],
        voided: ['102×1000'] });
      assert.equal(sim().getOrder(guid)?.orderSum, 40000 + 28800 + 9999);
      assert.equal(sim().commandCount('SaveOrder'), saves + 1);

      const view = await order(id);
      assert.deepEqual(dishes(view), [`${caesar}×1`, `${mors}×2`, `${pie}×1`]);
      assert.equal(view.fullAmount, 787.99);
      assert.equal(view.isAttention, false);
      assert.equal(view.version, before.version + 1);
      assert.equal(view.orderStatusId, 4);
    });

    test('guests and the comment go through UpdateOrder; lines stay', async () => {
      const { id, guid } = await atStation();
      const [saves, updates] = [sim().commandCount('SaveOrder'), sim().commandCount('UpdateOrder')];

      const res = await patch(id, { persons: 3, guest: { phone: '79000000009' } });
      assert.equal(res.status, 200);
      const there = sim().getOrder(guid);
      assert.equal(there?.guestsCount, 3);
      assert.match(there?.persistentComment ?? '', /79000000009/);
      assert.equal(sim().commandCount('UpdateOrder'), updates + 1);
      assert.equal(sim().commandCount('SaveOrder'), saves);
      assert.equal((await order(id)).persons, 3);
    });

    test('a change the station does not see sends nothing', async () => {
      const { id } = await atStation();
      const [saves, updates] = [sim().commandCount('SaveOrder'), sim().commandCount('UpdateOrder')];

      assert.equal((await patch(id, { comment: 'leave at the door', paymentTypeId: 'cash',
        changeFrom: '5000' })).status, 200);
      assert.equal(sim().commandCount('SaveOrder'), saves);
      assert.equal(sim().commandCount('UpdateOrder'), updates);
      const view = await order(id);
      assert.equal(view.paymentTypeId, 'cash');
      assert.equal(view.changeFrom, 5000);
    });

    test('restaurant and expedition type are fixed at the station', async () => {
      const { id } = await atStation();

      const moved = await patch(id, { restaurantId: '36277f09-1d62-420f-ae22-af8ce0994d6a' });
      assert.equal(moved.status, 422);
      assert.equal(moved.body.code, 'err_unprocessable_entity');
      const pickup = await patch(id, { expeditionType: 'pickup' });
      assert.equal(pickup.status, 422);
      assert.equal((await order(id)).expeditionType, 'delivery');

      const same = await patch(id, { restaurantId: DEMO.restaurantId, expeditionType: 'delivery',
        comment: 'same place' });
      assert.equal(same.status, 200);
    });

    test('a station refusal keeps the hub order; repeating converges', async () => {
      const { id, guid } = await atStation();
      const before = await order(id);
      sim().faults.add({ mode: 'decline', match: { cmd: 'SaveOrder', orderGuid: guid }, times: 1,
        params: { rk7ErrorN: 2128, text: 'Visit 1 is closed!' } });
      const wanted = { dishList: [{ id: caesar, quantity: 1 }, { id: borscht, quantity: 2 }] };

      const refused = await patch(id, wanted);
      assert.equal(refused.status, 500);
      assert.equal(refused.body.code, 'ERR_EXTERNAL_ERROR_WS');
      assert.match(refused.body.msg, /\[2128\] Visit 1 is closed!$/);
      const kept = await order(id);
      assert.deepEqual(dishes(kept), dishes(before));
      assert.equal(kept.fullAmount, 978);
      assert.equal(kept.isAttention, true);

      assert.equal((await patch(id, wanted)).status, 200);
      assert.deepEqual(stationLines(guid).live, ['101×1000', '102×2000']);
      assert.equal(sim().getOrder(guid)?.orderSum, 40000 + 58000);
      assert.equal((await order(id)).fullAmount, 980);
    });

    test('a paid order cannot change', async () => {
      const { id } = await atStation();
      await t.api('PUT', `/orders/${id}/pay`, payBody(978));

      const res = await patch(id, { comment: 'x' });
      assert.equal(res.status, 422);
      assert.equal(res.body.code, 'err_unprocessable_entity');
      assert.equal(res.body.msg, `Order ${id} is paid`);

      assert.equal((await t.api('PUT', `/orders/${id}/complete`)).status, 200);
      assert.equal((await patch(id, { comment: 'x' })).body.msg, `Order ${id} is completed`);
    });
  });
});
