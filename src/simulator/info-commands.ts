import { attr, xmlElement } from '../cash/rk7/xml-element.js';
import type { AttrValue, XmlElement } from '../cash/rk7/xml-element.js';
import { boolAttr, intAttr } from './request-reading.js';
import type { CommandHandler } from './sim-command.js';
import { simErrors } from './sim-errors.js';
import type { RkMenuItem, RkRef, SimRefs } from './sim-state.js';

/** Delphi's day zero (1899-12-30) relative to the Unix epoch, in ms: RK7's `SystemTime` origin. */
const DELPHI_EPOCH_OFFSET_MS = 25569 * 86_400_000;

/** `GetSystemInfo` (§5.1); `UCSERR(2172)` while the shift is being closed. */
export const getSystemInfo: CommandHandler = (_command, ctx) => {
  const { state, now } = ctx;
  if (state.shift.closing) throw simErrors.shiftClosing();

  const localMs = now.getTime() - now.getTimezoneOffset() * 60_000;
  const restaurant = state.refs.restaurant;
  return {
    children: [xmlElement('SystemInfo', {
      SystemTime: localMs + DELPHI_EPOCH_OFFSET_MS,
      ReqSysVer: 2,
      NetName: state.netName,
      ProcessID: process.pid,
      ShiftDate: state.shift.date,
      RestCode: state.restCode,
    }, [
      xmlElement('BusinessPeriod', { id: 0, code: 0 }),
      xmlElement('CashGroup', { id: 1, code: 1, name: state.netName }),
      xmlElement('Restaurant', {
        id: restaurant.ident, code: restaurant.code, name: restaurant.name,
      }),
    ])],
    changed: false,
  };
};

/** One reference the simulator serves: its collection name and the items' extra properties. */
interface ReferenceTable {
  collection: string;
  items: (refs: SimRefs) => readonly RkRef[];
  extra: (item: RkRef, withMacroProps: boolean) => Record<string, AttrValue>;
}

function reference<T extends RkRef>(
  collection: string,
  items: (refs: SimRefs) => readonly T[],
  extra: (item: T, withMacroProps: boolean) => Record<string, AttrValue> = () => ({}),
): ReferenceTable {
  // Items only ever come from `items`, so they are Ts.
  return { collection, items, extra: (item, macro) => extra(item as T, macro) };
}

const REFERENCES: Record<string, ReferenceTable> = {
  CURRENCIES: reference('Currencies', (r) => r.currencies),
  MENUITEMS: reference('MenuItems', (r) => r.menu, priced),
  MODIFIERS: reference('Modifiers', (r) => r.modifiers, priced),
  CASHES: reference('Cashes', (r) => r.stations, (s) => ({ NetName: s.netName })),
  TABLES: reference('Tables', (r) => r.tables),
  EMPLOYEES: reference('Employees', (r) => r.employees),
  UNCHANGEABLEORDERTYPES: reference('UnchangeableOrderTypes', (r) => r.orderCategories),
  ORDERVOIDS: reference('OrderVoids', (r) => r.voidReasons,
    (v) => Object.fromEntries(v.flags.map((flag) => [flag, true]))),
  DISCOUNTS: reference('Discounts', (r) => r.discounts),
  RESTAURANTS: reference('Restaurants', (r) => [r.restaurant]),
};

/**
 * `GetRefData` (§5.2) over the seeded references: `RefName` case-insensitive, `OnlyActive`,
 * `RefItemIdent`, `WithMacroProp` (prices as `PRICETYPES-1`) and the `items.(A,B,…)` form of
 * `PropMask`.
 */
export const getRefData: CommandHandler = (command, ctx) => {
  const refName = attr(command, 'RefName');
  if (refName === undefined) throw simErrors.attributeNotFound('RK7CMD/@RefName');
  const table = REFERENCES[refName.toUpperCase()];
  if (table === undefined) throw simErrors.unknownReference(refName);

  const onlyActive = boolAttr(command, 'OnlyActive') ?? false;
  const itemIdent = intAttr(command, 'RefItemIdent');
  const withMacroProps = boolAttr(command, 'WithMacroProp') ?? false;
  const mask = propMask(attr(command, 'PropMask'));
  let items = table.items(ctx.state.refs).filter((i) => !onlyActive || i.active);
  if (itemIdent !== undefined) {
    items = items.filter((i) => i.ident === itemIdent);
    if (items.length === 0) throw simErrors.refNotFound(String(itemIdent), table.collection);
  }

  return {
    children: [xmlElement('RK7Reference', {
      DataVersion: 1,
      Name: refName.toUpperCase(),
      TotalItemCount: items.length,
    }, [xmlElement('Items', {}, items.map((item) =>
      renderItem(item, table.extra(item, withMacroProps), mask)))])],
    changed: false,
  };
};

function renderItem(
  item: RkRef,
  extra: Record<string, AttrValue>,
  mask: Set<string> | undefined,
): XmlElement {
  const attrs: Record<string, AttrValue> = {
    Ident: item.ident,
    ItemIdent: item.ident,
    GUIDString: item.guid === undefined ? undefined : `{${item.guid}}`,
    Code: item.code,
    Name: item.name,
    Status: item.active ? 'rsActive' : 'rsInactive',
    ...extra,
  };
  if (mask === undefined) return xmlElement('Item', attrs);

  return xmlElement('Item', Object.fromEntries(Object.entries(attrs)
    .filter(([key]) => mask.has(key.toLowerCase()))));
}

/** Attribute names a `PropMask` keeps (lower case); `undefined` keeps all. */
function propMask(mask: string | undefined): Set<string> | undefined {
  const m = mask === undefined ? null : /^\s*(?:items\.)?\(?([^()]*)\)?\s*$/i.exec(mask);
  const names = m?.[1]?.split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  if (names === undefined || names.length === 0 || names.includes('*')) return undefined;
  return new Set(names);
}

/** Menu prices as the `PRICETYPES-n` macro property writes them: roubles, two decimals. */
function priced(item: RkMenuItem, withMacroProps: boolean): Record<string, AttrValue> {
  const roubles = `${Math.trunc(item.price / 100)}.${String(item.price % 100).padStart(2, '0')}`;
  return {
    QntDecDigits: item.qntDecDigits,
    'PRICETYPES-1': withMacroProps ? roubles : undefined,
  };
}
