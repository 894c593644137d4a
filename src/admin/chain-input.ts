import { BodyReader } from '../api/body-reader.js';
import type { FieldProblems } from '../errors/hub-error.js';
import type { Currency } from '../store/chain-repo.js';
import { hasC0Controls } from '../text/control-characters.js';
import {
  adminObject, finishInput, guid, needed, nonBlank, strictObject,
} from './admin-input.js';
import {
  type ConnectionSettings, CONNECTION_KEYS, readConnectionSettings,
} from './connection-admin.js';
import {
  type CorporationSettings, CORPORATION_KEYS, readCorporationSettings,
} from './corporation-admin.js';
import { readCurrencies } from './currency-admin.js';
import { type ZoneInput, readZones } from './delivery-zone-admin.js';
import { type MenuDocument, readMenuDocument } from './menu-input.js';
import { type ReasonInput, readRejectionReasons } from './rejection-reason-admin.js';
import {
  type RestaurantSettings, RESTAURANT_KEYS, readRestaurantSettings,
} from './restaurant-admin.js';
import { type StopListInput, readStopList } from './stop-list-admin.js';

/**
 * A chain file (`delivery-hub admin apply chain.json`): the whole chain declared, corporation by
 * corporation, with everything under it. Ids of corporations and restaurants are part of the
 * declaration, so the same file sets up the same chain everywhere; a connection without a
 * `clientId` is known by its name. Lists that are present replace what is stored; lists that
 * are left out leave it alone. See `examples/chain.example.json`.
 */
export interface ChainDocument {
  corporations: CorporationDecl[];
}

export interface CorporationDecl {
  id: string;
  path: string;
  settings: CorporationSettings;
  rejectionReasons: ReasonInput[] | undefined;
  menu: MenuDocument | undefined;
  restaurants: RestaurantDecl[];
  connections: ConnectionDecl[];
}

export interface RestaurantDecl {
  id: string;
  path: string;
  settings: RestaurantSettings;
  currencies: Currency[] | undefined;
  stopList: StopListInput[] | undefined;
  deliveryZones: ZoneInput[] | undefined;
}

export interface ConnectionDecl {
  clientId: string | undefined;
  path: string;
  settings: ConnectionSettings;
  /** A fixed secret from `clientSecretEnv`; otherwise a new connection gets a generated one. */
  secret: string | undefined;
}

/** What reading a chain file may use beyond the document: the CLI's environment and files. */
export interface ChainSources {
  /** Resolves `passwordEnv` / `clientSecretEnv`; without it those keys are refused. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Reads `menuFile` (relative to the chain file); without it the key is refused. */
  readJson?: (relativePath: string) => unknown;
}

/** Reads a chain document; every problem names its path (`corporations[0].restaurants[1]…`). */
export function readChainDocument(body: unknown, sources: ChainSources = {}): ChainDocument {
  const { root, problems } = adminObject(body, ['corporations']);
  const items = needed(root.field('corporations'), true, (r) => r.array()) ?? [];
  const corporations = items.flatMap((item) => {
    const decl = readCorporationDecl(item, { ...sources, problems });
    return decl === undefined ? [] : [decl];
  });

  unique(corporations, (c) => c.id, (c) => c.path, problems.add.bind(problems));
  unique(corporations.flatMap((c) => c.restaurants), (r) => r.id, (r) => r.path,
    problems.add.bind(problems));
  finishInput(problems);
  return { corporations };
}

type Sources = ChainSources & { problems: FieldProblems };

function readCorporationDecl(r: BodyReader, sources: Sources): CorporationDecl | undefined {
  const lists = ['rejectionReasons', 'menu', 'restaurants', 'connections',
    ...sources.readJson ? ['menuFile'] : []];
  if (!strictObject(r, ['id', ...CORPORATION_KEYS, ...lists])) return undefined;
  const id = needed(r.field('id'), true, guid);
  const settings = readCorporationSettings(r, undefined);
  const restaurants = (r.field('restaurants').array() ?? []).flatMap((item) => {
    // A corporation with problems still gets its restaurants read, so one answer names all.
    const decl = readRestaurantDecl(item, settings ?? { timeZone: 'UTC' }, sources);
    return decl ? [decl] : [];
  });
  const connections = (r.field('connections').array() ?? []).flatMap((item) => {
    const decl = readConnectionDecl(item, sources);
    return decl ? [decl] : [];
  });
  const reasons = r.field('rejectionReasons');
  const rejectionReasons = reasons.absent ? undefined : readRejectionReasons(reasons);
  const menu = readMenu(r, sources);
  if (id === undefined || settings === undefined) return undefined;

  return { id, path: r.path, settings, restaurants, connections, menu, rejectionReasons };
}

function readMenu(r: BodyReader, sources: Sources): MenuDocument | undefined {
  const inline = r.field('menu');
  const file = r.field('menuFile');
  if (!inline.absent && !file.absent) {
    file.problem('give either menu or menuFile, not both');
    return undefined;
  }
  if (!inline.absent) return readMenuDocument(inline);

  const name = nonBlank(file);
  if (name === undefined || !sources.readJson) return undefined;
  let content: unknown;
  try {
    content = sources.readJson(name);
  } catch (err) {
    file.problem(`cannot be read: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
  return readMenuDocument(new BodyReader(content, file.path, sources.problems));
}

function readRestaurantDecl(
  r: BodyReader, corporation: { timeZone: string }, sources: ChainSources,
): RestaurantDecl | undefined {
  const lists = ['currencies', 'stopList', 'deliveryZones'];
  if (!strictObject(r, ['id', ...RESTAURANT_KEYS, ...lists])) return undefined;
  const id = needed(r.field('id'), true, guid);
  const settings = readRestaurantSettings(r, undefined, corporation, sources.env);
  const optional = <T>(key: string, read: (f: BodyReader) => T | undefined) => {
    const field = r.field(key);
    return field.absent ? undefined : read(field);
  };
  const currencies = optional('currencies', readCurrencies);
  const stopList = optional('stopList', readStopList);
  const deliveryZones = optional('deliveryZones', readZones);
  if (id === undefined || settings === undefined) return undefined;

  return { id, path: r.path, settings, currencies, stopList, deliveryZones };
}

function readConnectionDecl(r: BodyReader, sources: ChainSources): ConnectionDecl | undefined {
  const keys = ['clientId', ...CONNECTION_KEYS, ...sources.env ? ['clientSecretEnv'] : []];
  if (!strictObject(r, keys)) return undefined;
  const settings = readConnectionSettings(r, undefined);
  const secretEnv = r.field('clientSecretEnv');
  let secret: string | undefined;
  if (!secretEnv.absent) {
    const name = nonBlank(secretEnv);
    secret = name === undefined ? undefined : sources.env?.[name];
    if (name !== undefined && !secret) secretEnv.problem(`environment variable ${name} is not set`);
    if (secret !== undefined && hasC0Controls(secret)) {
      secretEnv.problem(`environment variable ${name} holds a control character`);
      secret = undefined;
    }
  }
  if (settings === undefined) return undefined;

  return { clientId: guid(r.field('clientId')), path: r.path, settings, secret };
}

function unique<T>(
  items: readonly T[], key: (item: T) => string, path: (item: T) => string,
  add: (path: string, problem: string) => void,
): void {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(key(item))) add(`${path(item)}.id`, 'is declared twice');
    seen.add(key(item));
  }
}
