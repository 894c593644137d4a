import {
  attr, child, parseXmlDocument, serializeXmlDocument, XmlSyntaxError, xmlElement,
} from './xml-element.js';
import type { AttrValue, XmlElement } from './xml-element.js';

/**
 * The RK7 XML interface envelope (`rk7-xml.md` §3–§4): one `<RK7CMD>` per request, replies in
 * `<RK7QueryResult>` (data on the root, or inside `<CommandResult>` for the batch forms), and the
 * value encodings every command shares. Command shapes live in `rk7-requests.ts` and
 * `rk7-replies.ts`.
 */

/** `RK7QueryResult@Status` values (§3.2). */
export type Rk7Status =
  | 'Ok'
  | 'No changes'
  | 'Execution Started'
  | 'Query Parse Error'
  | 'Bad Query Parameters'
  | 'Query Executing Error'
  | 'Result Writing Error';

/** A request ready to send. */
export interface Rk7Request {
  /** The `CMD` attribute, e.g. `PayOrder`. */
  readonly cmd: string;
  /** Whether the command changes station state (an unanswered call then has an unknown outcome). */
  readonly mutating: boolean;
  /** Order the command is about, for logs and fault matching. */
  readonly orderGuid: string | undefined;
  /** The serialised `<RK7Query>` document. */
  readonly xml: string;
}

/** A parsed `RK7QueryResult`, whatever its status. */
export interface Rk7Result {
  /** Status of the command (the `CommandResult` one in batch replies, else the root one). */
  readonly status: string;
  /** `ErrorText`, verbatim; empty on success. */
  readonly errorText: string;
  readonly rk7ErrorN: number | undefined;
  readonly cmd: string | undefined;
  readonly serverVersion: string | undefined;
  readonly netName: string | undefined;
  /** The element holding the command's data: the `CommandResult`, or the root itself. */
  readonly body: XmlElement;
}

/** Thrown when a reply is not an `RK7QueryResult` the connector can read. */
export class Rk7ProtocolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Rk7ProtocolError';
  }
}

/** Wraps one command as `<RK7Query><RK7CMD CMD="…" …>…</RK7CMD></RK7Query>`. */
export function buildRk7Query(
  cmd: string,
  options: {
    attrs?: Record<string, AttrValue>;
    children?: readonly (XmlElement | undefined)[];
    mutating: boolean;
    orderGuid?: string;
  },
): Rk7Request {
  const command = xmlElement('RK7CMD', { CMD: cmd, ...options.attrs }, options.children ?? []);
  const xml = serializeXmlDocument(xmlElement('RK7Query', {}, [command]));
  return { cmd, mutating: options.mutating, orderGuid: options.orderGuid, xml };
}

/** Parses a reply body (already decoded as UTF-8). */
export function parseRk7Result(text: string): Rk7Result {
  let root: XmlElement;
  try {
    root = parseXmlDocument(text);
  } catch (err) {
    if (err instanceof XmlSyntaxError) {
      throw new Rk7ProtocolError(`unparseable reply: ${err.message}`, { cause: err });
    }
    throw err;
  }
  if (root.name !== 'RK7QueryResult') {
    throw new Rk7ProtocolError(`unexpected reply root <${root.name}>`);
  }

  const rootStatus = attr(root, 'Status');
  if (rootStatus === undefined) throw new Rk7ProtocolError('reply without Status');

  const commandResult = child(root, 'CommandResult');
  const commandStatus = commandResult === undefined ? undefined : attr(commandResult, 'Status');
  const failed = commandStatus !== undefined && !isSuccessStatus(commandStatus);
  const source = failed && commandResult !== undefined ? commandResult : root;
  return {
    status: failed && commandStatus !== undefined ? commandStatus : rootStatus,
    errorText: attr(source, 'ErrorText') ?? attr(root, 'ErrorText') ?? '',
    rk7ErrorN: readOptionalInt(attr(source, 'RK7ErrorN') ?? attr(root, 'RK7ErrorN')),
    cmd: attr(commandResult ?? root, 'CMD'),
    serverVersion: attr(root, 'ServerVersion'),
    netName: attr(root, 'NetName'),
    body: commandResult ?? root,
  };
}

/** Whether a status means the command succeeded. */
export function isSuccessStatus(status: string): boolean {
  return status === 'Ok' || status === 'No changes';
}

/** A reference item by ident (`refItem`): `<Name id="…"/>`. */
export function refById(name: string, id: number | string): XmlElement {
  return xmlElement(name, { id });
}

/** Hub GUID (any case, braces optional) → wire form `{UPPER}`. */
export function toWireGuid(guid: string): string {
  return `{${normalizeGuid(guid)}}`;
}

/** Wire GUID → hub form: upper case, no braces. */
export function normalizeGuid(guid: string): string {
  return guid.trim().replace(/^\{/, '').replace(/\}$/, '').toUpperCase();
}

/** Reads an RK7 boolean (`1`/`0`; `true`/`false` tolerated). */
export function readBool(value: string | undefined): boolean {
  return value === '1' || value?.toLowerCase() === 'true';
}

/** Reads an integer attribute; `undefined` when absent or not an integer. */
export function readOptionalInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*-?\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

/** Reads a required integer attribute of `element`. */
export function requireInt(element: XmlElement, name: string): number {
  const value = readOptionalInt(attr(element, name));
  if (value === undefined) {
    throw new Rk7ProtocolError(`<${element.name}> lacks integer attribute ${name}`);
  }
  return value;
}

/** Reads a required attribute of `element`. */
export function requireAttr(element: XmlElement, name: string): string {
  const value = attr(element, name);
  if (value === undefined) throw new Rk7ProtocolError(`<${element.name}> lacks attribute ${name}`);
  return value;
}

/** The first child named `name`, or a protocol error. */
export function requireChild(element: XmlElement, name: string): XmlElement {
  const found = child(element, name);
  if (!found) throw new Rk7ProtocolError(`<${element.name}> lacks <${name}>`);
  return found;
}
