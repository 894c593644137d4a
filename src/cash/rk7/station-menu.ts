import type { StationMenu, StationMenuItem } from '../cash-station.js';
import type { Rk7Client } from './rk7-client.js';
import {
  getMenuRefRequest, getOrderMenuRequest, readMenuRefItems, readOrderMenuPrices,
} from './rk7-menu-wire.js';
import type { MenuRefName, Rk7MenuRefItem } from './rk7-menu-wire.js';

/**
 * Reads what a station sells (`rk7-xml.md` §6.2): the active `MENUITEMS` and `MODIFIERS`, priced
 * from the station's `GetOrderMenu`. An item the order menu does not price is not sold at that
 * station and is left out.
 */
export async function readStationMenu(client: Rk7Client, stationId: number): Promise<StationMenu> {
  const dishes = await readReference(client, 'MENUITEMS');
  const modifiers = await readReference(client, 'MODIFIERS');

  const req = getOrderMenuRequest(stationId);
  const reply = await client.call(req);
  const prices = client.decode(req, () => readOrderMenuPrices(reply));

  return {
    dishes: priced(dishes, prices.dishes),
    modifiers: priced(modifiers, prices.modifiers),
  };
}

async function readReference(client: Rk7Client, refName: MenuRefName): Promise<Rk7MenuRefItem[]> {
  const req = getMenuRefRequest(refName);
  const reply = await client.call(req);
  return client.decode(req, () => readMenuRefItems(reply));
}

function priced(items: readonly Rk7MenuRefItem[], prices: Map<number, number>): StationMenuItem[] {
  return items.flatMap((item) => {
    const price = prices.get(item.ident);
    if (price === undefined) return [];
    return [{
      code: item.code,
      name: item.name,
      guid: item.guid,
      price,
      qntDecDigits: item.qntDecDigits ?? 0,
    }];
  });
}
