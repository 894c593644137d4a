import type { FieldProblems } from '../errors/hub-error.js';
import type { Address, Guest } from './order-record.js';

/**
 * The fields a delivery needs (`delivery-api.md` §8, "Required-field rules"): the guest's phone
 * and an address with street, city and house number. `address` missing, null or empty is one
 * problem (`address`); otherwise each missing part is named. `check` says which of the two
 * groups to look at (PATCH checks only what it changes or what the new expedition type needs).
 */
export function checkDeliveryFields(
  guest: Pick<Guest, 'phone'>, address: Address | null | undefined, problems: FieldProblems,
  check: { guest: boolean; address: boolean } = { guest: true, address: true },
): void {
  if (check.guest && !guest.phone) problems.add('guest.phone', 'Phone is required');
  if (!check.address) return;

  if (!address || Object.keys(address).length === 0) {
    problems.add('address', 'Delivery address is required');
    return;
  }
  if (!address.street) problems.add('address.street', 'Street is required');
  if (!address.cityName) problems.add('address.cityName', 'City is required');
  if (!address.houseNumber) problems.add('address.houseNumber', 'House number is required');
}
