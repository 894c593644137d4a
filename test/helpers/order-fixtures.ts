import { DEMO } from '../../src/store/seed-demo.js';

export const ROUBLES = DEMO.roublesCurrency;
export const CARD = DEMO.cardCurrency;
export const SEED_PAID_AT = '2022-04-05T15:12:58.658+03:00';

/** The story's delivery order: 400 + 290 + 2 × 144 = 978.00. */
export function demoOrderBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    restaurantId: DEMO.restaurantId,
    expeditionType: 'delivery',
    paymentTypeId: 'online',
    soonest: true,
    persons: 1,
    comment: 'ring twice',
    guest: { firstName: 'Guest', phone: '79000000001', email: 'guest@example.com' },
    address: {
      street: 'Yunykh Lenintsev', houseNumber: '85', cityName: 'Moscow', apartmentNumber: '6',
    },
    dishList: [
      { id: DEMO.dishes.caesar, quantity: 1 },
      { id: DEMO.dishes.borscht, quantity: 1 },
      { id: DEMO.dishes.mors, quantity: 2 },
    ],
    ...overrides,
  };
}

/** A pickup order of three pies: 3 × 99.99 = 299.97. */
export function piesOrderBody(): Record<string, unknown> {
  return {
    restaurantId: DEMO.restaurantId,
    expeditionType: 'pickup',
    paymentTypeId: 'card',
    soonest: true,
    guest: { firstName: 'Guest', phone: '79000000002' },
    dishList: [{ id: DEMO.dishes.pie, quantity: 3 }],
  };
}

export function payBody(amount: number | string, code: string = ROUBLES) {
  return [{ code, amount, paidAt: SEED_PAID_AT, name: '' }];
}
