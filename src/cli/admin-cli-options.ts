import { type Command, Option } from 'commander';

/** A command-line option that sets one field of an admin body (`cashStation.url`…). */
export interface FieldOption {
  flags: string;
  /** Dotted path of the body field the option sets. */
  path: string;
  help: string;
}

const BOOL = '<true|false>';

export const CORPORATION_OPTIONS: readonly FieldOption[] = [
  { flags: '--name <name>', path: 'name', help: 'display name' },
  { flags: '--time-zone <zone>', path: 'timeZone', help: 'IANA time zone, e.g. Europe/Moscow' },
  { flags: '--order-processing <mode>', path: 'orderProcessing', help: 'auto | none' },
  { flags: '--transfer-delay-sec <n>', path: 'transferDelaySec',
    help: 'seconds from acceptance to the transfer to the cash station' },
  { flags: `--check-contents-and-price ${BOOL}`, path: 'checkContentsAndPrice',
    help: 'check dishes and prices of new orders against the menu' },
  { flags: `--complete-when-closed-at-station ${BOOL}`, path: 'completeWhenClosedAtStation',
    help: 'complete an order when it is closed at the cash station' },
  { flags: `--allow-order-modification ${BOOL}`, path: 'allowOrderModification',
    help: 'let clients change orders until they are paid' },
  { flags: `--rejection-reason-required ${BOOL}`, path: 'rejectionReasonRequired',
    help: 'cancelling an order needs a reason' },
];

export const RESTAURANT_OPTIONS: readonly FieldOption[] = [
  { flags: '--object-id <n>', path: 'objectId', help: 'r_keeper restaurant code (RestCode)' },
  { flags: '--name <name>', path: 'name', help: 'display name' },
  { flags: '--address <text>', path: 'actualAddress', help: 'street address shown to clients' },
  { flags: '--state <state>', path: 'state', help: 'active | noActive' },
  { flags: '--time-zone <zone>', path: 'timeZone', help: 'IANA time zone (default: corporation)' },
  { flags: `--auto-accept ${BOOL}`, path: 'autoAccept', help: 'take confirmed orders at once' },
  { flags: '--min-lead-minutes <n>', path: 'minLeadMinutes', help: 'earliest expectedAt, minutes' },
  { flags: '--table-code <code>', path: 'tableCode', help: 'code of the delivery table' },
  { flags: '--station-url <url>', path: 'cashStation.url',
    help: 'XML interface URL of the cash server, or "embedded"' },
  { flags: '--station-username <name>', path: 'cashStation.username', help: 'HTTP login' },
  { flags: '--station-password <secret>', path: 'cashStation.password',
    help: 'HTTP password (prefer --station-password-env)' },
  { flags: `--station-tls-insecure ${BOOL}`, path: 'cashStation.tlsInsecure',
    help: 'accept the cash server\'s self-signed certificate' },
  { flags: '--station-id <ident>', path: 'cashStation.stationId', help: 'CASHES ident' },
  { flags: '--cashier-id <ident>', path: 'cashStation.cashierId', help: 'EMPLOYEES ident' },
  { flags: '--table-id <ident>', path: 'cashStation.tableId', help: 'TABLES ident' },
  { flags: '--order-category-id <ident>', path: 'cashStation.orderCategoryId',
    help: 'UNCHANGEABLEORDERTYPES ident ("Delivery")' },
  { flags: '--void-reason-id <ident>', path: 'cashStation.voidReasonId', help: 'ORDERVOIDS ident' },
  { flags: '--delivery-dish-code <code>', path: 'cashStation.deliveryFeeDishCode',
    help: 'menu item code of the delivery fee' },
  { flags: '--station-timeout-ms <n>', path: 'cashStation.timeoutMs',
    help: 'bound of each call (0: the hub\'s CASH_TIMEOUT_MS)' },
  { flags: '--station-max-connections <n>', path: 'cashStation.maxConnections',
    help: 'open connections to the cash server per hub instance (0: 16)' },
];

export const CONNECTION_OPTIONS: readonly FieldOption[] = [
  { flags: '--name <name>', path: 'name', help: 'who uses it, e.g. "Website"' },
  { flags: '--restaurant <id...>', path: 'restaurantIds', help: 'restaurants it may use' },
  { flags: `--enabled ${BOOL}`, path: 'enabled', help: 'whether it may get tokens' },
];

/** Adds the options to a command. */
export function withFieldOptions(command: Command, options: readonly FieldOption[]): Command {
  for (const option of options) command.addOption(new Option(option.flags, option.help));
  return command;
}

/** The body the given options describe: only options that were given, at their paths. */
export function bodyOf(
  values: Record<string, unknown>, options: readonly FieldOption[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const option of options) {
    const value = values[new Option(option.flags).attributeName()];
    if (value === undefined) continue;

    const keys = option.path.split('.');
    let target = body;
    for (const key of keys.slice(0, -1)) {
      target = (target[key] ??= {}) as Record<string, unknown>;
    }
    target[keys.at(-1) as string] = value;
  }
  return body;
}

/** The flag setting a body field, for messages (`--station-id` for `cashStation.stationId`). */
export function flagOf(path: string, options: readonly FieldOption[]): string | undefined {
  const option = options.find((o) => o.path === path || path.startsWith(`${o.path}[`));
  return option?.flags.split(' ')[0];
}
