import { attr, parseXmlDocument, xmlElement, XmlSyntaxError } from '../cash/rk7/xml-element.js';
import type { AttrValue, XmlElement } from '../cash/rk7/xml-element.js';
import { getRefData, getSystemInfo } from './info-commands.js';
import { getOrderMenu } from './order-menu-command.js';
import {
  createOrder, getOrder, getOrderList, updateOrder, voidOrder,
} from './order-commands.js';
import { payOrder } from './pay-order.js';
import { orderGuidOf } from './request-reading.js';
import { saveOrder } from './save-order.js';
import { stationTime } from './seed-fixtures.js';
import type { CommandHandler, CommandOutcome, SimContext } from './sim-command.js';
import { SimCommandError, simErrors } from './sim-errors.js';

const HANDLERS: Readonly<Record<string, CommandHandler>> = {
  GetSystemInfo: getSystemInfo,
  GetRefData: getRefData,
  GetOrderMenu: getOrderMenu,
  CreateOrder: createOrder,
  SaveOrder: saveOrder,
  GetOrder: getOrder,
  PayOrder: payOrder,
  GetOrderList: getOrderList,
  VoidOrder: voidOrder,
  UpdateOrder: updateOrder,
};

/** The three request forms of §3.1. */
export type RequestForm = 'RK7CMD' | 'RK7Command' | 'RK7Command2';

/** A request read from its XML. */
export interface ParsedRequest {
  form: RequestForm;
  /** The command elements, in order (one for the RK7CMD form). */
  commands: XmlElement[];
}

/** A command as faults and counters see it. */
export interface CommandInfo {
  cmd: string;
  orderGuid: string | undefined;
}

/** Reads a request body; a body that is not an RK7Query is a `Query Parse Error`. */
export function readRequest(body: string): ParsedRequest {
  if (body.trim() === '') throw simErrors.emptyInput();

  let root: XmlElement;
  try {
    root = parseXmlDocument(body);
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw simErrors.parse(err.message);
    throw err;
  }
  if (root.name !== 'RK7Query') throw simErrors.parse(`RK7Query expected, got ${root.name}`);

  const first = root.children.find((c) => isForm(c.name));
  if (first === undefined) throw simErrors.parse('RK7Query holds no command');

  const form = first.name as RequestForm;
  // The historic form carries one command; the batch forms any number.
  const commands = form === 'RK7CMD' ? [first] : root.children.filter((c) => c.name === form);
  return { form, commands };
}

/** What counters and fault matching need to know about each command. */
export function describeCommands(ctx: SimContext, request: ParsedRequest): CommandInfo[] {
  return request.commands.map((command) => {
    const order = command.children.find((c) => c.name === 'Order');
    let orderGuid: string | undefined;
    try {
      orderGuid = order === undefined ? undefined : orderGuidOf(ctx.state, order);
    } catch (err) {
      // A malformed order reference is the command's to refuse; here it just matches nothing.
      if (!(err instanceof SimCommandError)) throw err;
    }
    return { cmd: attr(command, 'CMD') ?? '', orderGuid };
  });
}

/**
 * Runs the request's commands and builds the `RK7QueryResult`. `decline` may refuse a command
 * in place of running it (fault injection).
 */
export function executeRequest(
  ctx: SimContext,
  request: ParsedRequest,
  decline: (command: XmlElement) => SimCommandError | undefined = () => undefined,
): { reply: XmlElement; changed: boolean } {
  const results = request.commands.map((command) => runCommand(ctx, command, decline));
  const changed = results.some((r) => r.outcome?.changed === true);
  const reply = request.form === 'RK7CMD'
    ? singleReply(ctx, results[0] as CommandRun)
    : batchReply(ctx, request.form, results);
  return { reply, changed };
}

/** The reply to a request that could not be read at all. */
export function parseErrorReply(ctx: SimContext, error: SimCommandError): XmlElement {
  return xmlElement('RK7QueryResult', {
    ...header(ctx),
    Status: error.status,
    ErrorText: error.text,
    DateTime: stationTime(ctx.now),
    WorkTime: 0,
    RK7ErrorN: error.rk7ErrorN,
    Processed: 0,
    ArrivalDateTime: stationTime(ctx.now),
  });
}

interface CommandRun {
  command: XmlElement;
  cmd: string;
  outcome: CommandOutcome | undefined;
  error: SimCommandError | undefined;
}

function runCommand(
  ctx: SimContext,
  command: XmlElement,
  decline: (command: XmlElement) => SimCommandError | undefined,
): CommandRun {
  const cmd = attr(command, 'CMD') ?? '';
  const handler = HANDLERS[cmd];
  try {
    if (handler === undefined) throw simErrors.unknownCommand(cmd);

    const declined = decline(command);
    if (declined) throw declined;
    return { command, cmd, outcome: handler(command, ctx), error: undefined };
  } catch (err) {
    if (!(err instanceof SimCommandError)) throw err;
    return { command, cmd, outcome: undefined, error: err };
  }
}

// Attribute order follows the templates of §5.4 and §8.5.
function singleReply(ctx: SimContext, run: CommandRun): XmlElement {
  const done = timing(ctx);
  if (run.error) {
    return xmlElement('RK7QueryResult', {
      ...header(ctx),
      Status: run.error.status,
      CMD: run.cmd,
      ErrorText: run.error.text,
      DateTime: done.dateTime,
      WorkTime: done.workTime,
      RK7ErrorN: run.error.rk7ErrorN,
      Processed: 0,
      ArrivalDateTime: stationTime(ctx.now),
    });
  }

  const outcome = run.outcome as CommandOutcome;
  return xmlElement('RK7QueryResult', {
    ...header(ctx),
    Status: outcome.status ?? 'Ok',
    CMD: run.cmd,
    ErrorText: '',
    DateTime: done.dateTime,
    WorkTime: done.workTime,
    Processed: 1,
    ArrivalDateTime: stationTime(ctx.now),
    ...outcome.attrs,
  }, outcome.children ?? []);
}

function batchReply(ctx: SimContext, form: RequestForm, runs: CommandRun[]): XmlElement {
  const done = timing(ctx);
  const results = runs.map((run) => xmlElement('CommandResult', {
    CMD: run.cmd,
    Status: run.error?.status ?? run.outcome?.status ?? 'Ok',
    ErrorText: run.error?.text ?? '',
    RK7ErrorN: run.error?.rk7ErrorN,
    DateTime: done.dateTime,
    WorkTime: done.workTime,
    ...run.outcome?.attrs,
  }, [
    form === 'RK7Command2' ? xmlElement('SourceCommand', {}, [run.command]) : undefined,
    ...run.outcome?.children ?? [],
  ]));

  const processed = runs.filter((r) => r.error === undefined).length;
  const failed = runs.find((r) => r.error !== undefined)?.error;
  const rootAttrs: Record<string, AttrValue> = failed === undefined
    ? { ...header(ctx), Status: 'Ok', Processed: processed, ArrivalDateTime: stationTime(ctx.now) }
    : {
      ...header(ctx),
      Status: failed.status,
      ErrorText: failed.text,
      RK7ErrorN: failed.rk7ErrorN,
      DateTime: done.dateTime,
      WorkTime: done.workTime,
      Processed: processed,
    };
  return xmlElement('RK7QueryResult', rootAttrs, results);
}

function header(ctx: SimContext): Record<string, AttrValue> {
  return {
    ServerVersion: ctx.state.serverVersion,
    XmlVersion: ctx.state.xmlVersion,
    NetName: ctx.state.netName,
  };
}

function timing(ctx: SimContext): { dateTime: string; workTime: number } {
  const finished = ctx.clock();
  return {
    dateTime: stationTime(new Date(finished)),
    workTime: Math.max(0, finished - ctx.now.getTime()),
  };
}

function isForm(name: string): boolean {
  return name === 'RK7CMD' || name === 'RK7Command' || name === 'RK7Command2';
}
