import { xmlElement } from '../cash/rk7/xml-element.js';
import { requireChild, resolveRef } from './request-reading.js';
import type { CommandHandler } from './sim-command.js';
import type { RkMenuItem } from './sim-state.js';

/**
 * `GetOrderMenu` (`rk7-xml.md` §5.3): what the named station sells, as `<Dishes>` and
 * `<Modifiers>` items with their price in kopecks. Every seeded station sells the whole active
 * menu; an unknown station is refused with the reference-not-found text.
 */
export const getOrderMenu: CommandHandler = (command, ctx) => {
  const { refs } = ctx.state;
  resolveRef(requireChild(command, 'Station'), refs.stations, 'Cashes');

  return {
    children: [
      xmlElement('Dishes', {}, priceItems(refs.menu)),
      xmlElement('Modifiers', {}, priceItems(refs.modifiers)),
    ],
    changed: false,
  };
};

function priceItems(items: readonly RkMenuItem[]) {
  return items.filter((item) => item.active)
    .map((item) => xmlElement('Item', { Ident: item.ident, Price: item.price }));
}
