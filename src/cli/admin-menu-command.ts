import type { Command } from 'commander';
import { pathId } from '../admin/admin-input.js';
import { listCurrencies, replaceCurrencies } from '../admin/currency-admin.js';
import { listZones, replaceZones } from '../admin/delivery-zone-admin.js';
import { importMenu } from '../admin/menu-admin.js';
import { listRejectionReasons, replaceRejectionReasons } from '../admin/rejection-reason-admin.js';
import { requireCorporation } from '../admin/corporation-admin.js';
import { requireRestaurantRow } from '../admin/restaurant-admin.js';
import { importStationMenu } from '../admin/station-menu-import.js';
import { listStopList, replaceStopList } from '../admin/stop-list-admin.js';
import { MenuRepo } from '../menu/menu-repo.js';
import { menuView } from '../menu/menu-view.js';
import { type AdminCliDeps, CliRefusal, readJson, runAdmin } from './admin-cli-runner.js';

/**
 * `delivery-hub admin menu|currencies|stop-list|rejection-reasons|zones …`: what a chain sells
 * and where, each list shown as JSON and replaced from a JSON file (the admin API's bodies).
 */
export function registerAdminMenuCommands(admin: Command, deps: AdminCliDeps): void {
  const menu = admin.command('menu').description('a corporation\'s menu');
  menu.command('show').argument('<corporationId>')
    .description('print the menu in the GET /menu/view shape (importable)')
    .action((raw: string) => runAdmin(deps, async (ctx) => {
      const id = pathId(raw);
      const corporation = await requireCorporation(ctx.db, id);
      return menuView(await new MenuRepo(ctx.db).menu(corporation.id), []);
    }));
  menu.command('import').argument('<corporationId>').argument('<file>')
    .description('add and update dishes, categories and modifiers from a JSON menu file')
    .action((id: string, file: string) =>
      runAdmin(deps, (ctx) => importMenu(ctx, pathId(id), readJson(file))));
  menu.command('import-station').argument('<restaurantId>')
    .description('import what the restaurant\'s cash station sells (GetRefData, GetOrderMenu)')
    .action((id: string) => runAdmin(deps, (ctx) => importStationMenu(ctx, pathId(id))));

  const currencies = admin.command('currencies').description('a restaurant\'s payment currencies');
  currencies.command('show').argument('<restaurantId>')
    .action((raw: string) => runAdmin(deps, async (ctx) => {
      const id = pathId(raw);
      await requireRestaurantRow(ctx.db, id);
      return listCurrencies(ctx.db, id);
    }));
  currencies.command('set').argument('<restaurantId>').argument('<code=name...>')
    .description('replace them, e.g. 16D72549-14D8-4F31-9E2A-0A833D4F5EED=Cash')
    .action((id: string, pairs: string[]) =>
      runAdmin(deps, (ctx) => replaceCurrencies(ctx, pathId(id), pairs.map(currencyPair))));

  const stopList = admin.command('stop-list').description('a restaurant\'s stopped dishes');
  stopList.command('show').argument('<restaurantId>')
    .action((raw: string) => runAdmin(deps, async (ctx) => {
      const id = pathId(raw);
      await requireRestaurantRow(ctx.db, id);
      return listStopList(ctx.db, id);
    }));
  stopList.command('set').argument('<restaurantId>').argument('<file>')
    .description('replace it: [{"externalId":"101"}, {"id":"…","remaining":2}]')
    .action((id: string, file: string) =>
      runAdmin(deps, (ctx) => replaceStopList(ctx, pathId(id), readJson(file))));

  const reasons = admin.command('rejection-reasons').description('a corporation\'s cancel reasons');
  reasons.command('show').argument('<corporationId>')
    .action((raw: string) => runAdmin(deps, async (ctx) => {
      const id = pathId(raw);
      await requireCorporation(ctx.db, id);
      return listRejectionReasons(ctx.db, id);
    }));
  reasons.command('set').argument('<corporationId>').argument('<file>')
    .description('replace them: [{"reason":"…","type":"simple"|"text"}]')
    .action((id: string, file: string) =>
      runAdmin(deps, (ctx) => replaceRejectionReasons(ctx, pathId(id), readJson(file))));

  const zones = admin.command('zones').description('a restaurant\'s delivery zones');
  zones.command('show').argument('<restaurantId>')
    .action((raw: string) => runAdmin(deps, async (ctx) => {
      const id = pathId(raw);
      await requireRestaurantRow(ctx.db, id);
      return listZones(ctx.db, id);
    }));
  zones.command('set').argument('<restaurantId>').argument('<file>')
    .description('replace them: [{"name":"…","polygon":{GeoJSON},"deliveryPrice":150}]')
    .action((id: string, file: string) =>
      runAdmin(deps, (ctx) => replaceZones(ctx, pathId(id), readJson(file))));
}

function currencyPair(pair: string): { code: string; name: string } {
  const at = pair.indexOf('=');
  if (at <= 0) throw new CliRefusal(`"${pair}" is not code=name`);
  return { code: pair.slice(0, at), name: pair.slice(at + 1) };
}
