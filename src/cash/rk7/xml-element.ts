import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readPlainXml } from './plain-xml-reader.js';

/**
 * A parsed XML element: the small tree both the connector and the simulator work on.
 *
 * Attribute names keep their spelling; {@link attr} reads them case-insensitively because RK7
 * spells the same attribute differently across commands (`orderName` / `OrderName`). Element
 * names are compared exactly (`KdsState` vs `kdsstate` differ on real servers).
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Text content directly inside the element, whitespace-only runs dropped. */
  readonly text: string;
}

/** Attribute values accepted when building: `undefined` drops the attribute, booleans are 1/0. */
export type AttrValue = string | number | boolean | undefined;

/** Thrown when a document is not well-formed XML. */
export class XmlSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

const ATTRS = ':@';
const TEXT = '#text';

// htmlEntities: without it the parser leaves numeric references (`&#1056;`) undecoded.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Characters XML 1.0 cannot carry at all, even escaped. */
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
/**
 * What may need escaping or dropping: the five special characters, control characters, any
 * surrogate (pairs are checked by the slow path) and U+FFFE/U+FFFF. No `u` flag: it is slower.
 */
const NEEDS_ESCAPE = /[&<>'"\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Builds an element; attributes whose value is `undefined` are left out. */
export function xmlElement(
  name: string,
  attrs: Record<string, AttrValue> = {},
  children: readonly (XmlElement | undefined)[] = [],
): XmlElement {
  const written: Record<string, string> = {};
  for (const key in attrs) {
    const value = attrs[key];
    if (value === undefined) continue;
    written[key] = typeof value === 'string' ? value
      : typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  }

  const present = children.includes(undefined)
    ? children.filter((c): c is XmlElement => c !== undefined)
    : children as readonly XmlElement[];
  return { name, attrs: written, children: present, text: '' };
}

/**
 * Parses a document and returns its root element. Plain documents (what the RK7 interface
 * sends) are read directly; anything else goes through the library's validator and parser.
 */
export function parseXmlDocument(text: string): XmlElement {
  const plain = readPlainXml(text);
  if (plain !== undefined) return plain;

  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    throw new XmlSyntaxError(`${msg} (line ${line}, column ${col})`);
  }

  const nodes = parser.parse(text) as OrderedNode[];
  const roots = nodes.map(toElement).filter((e): e is XmlElement => e !== undefined);
  const [root] = roots;
  if (root === undefined || roots.length > 1) {
    throw new XmlSyntaxError('expected exactly one root element');
  }
  return root;
}

/** Serialises an element as a UTF-8 XML document with its declaration. */
export function serializeXmlDocument(root: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${serializeXmlElement(root)}`;
}

/**
 * Serialises an element without a declaration (used for fragments such as a FaultyTag): no
 * indentation, empty elements self-closed, the five XML special characters escaped in
 * attributes and text, and characters XML cannot carry dropped. (The output of
 * fast-xml-builder with the options this file used before, written directly: building its
 * ordered tree first cost a third of every exchange.)
 */
export function serializeXmlElement(element: XmlElement): string {
  let start = `<${element.name}`;
  const attrs = element.attrs;
  for (const key in attrs) start += ` ${key}="${escapeXml(attrs[key] as string)}"`;

  let content = element.text === '' ? '' : escapeXml(element.text);
  for (const c of element.children) content += serializeXmlElement(c);
  return content === '' ? `${start}/>` : `${start}>${content}</${element.name}>`;
}

/** Reads an attribute, matching its name case-insensitively. */
export function attr(element: XmlElement, name: string): string | undefined {
  const exact = element.attrs[name];
  if (exact !== undefined) return exact;

  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(element.attrs)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** The first child with this element name. */
export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

/** All children with this element name. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** All descendants with this element name, depth first, in document order. */
export function descendants(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (const c of element.children) {
    if (c.name === name) found.push(c);
    found.push(...descendants(c, name));
  }
  return found;
}

type OrderedNode = Record<string, unknown>;

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((k) => k !== ATTRS);
  if (name === undefined || name === TEXT || name.startsWith('?') || name.startsWith('!')) {
    return undefined;
  }

  const rawChildren = (node[name] as OrderedNode[] | undefined) ?? [];
  const children: XmlElement[] = [];
  let text = '';
  for (const c of rawChildren) {
    if (TEXT in c) {
      const piece = String(c[TEXT]);
      if (piece.trim() !== '') text += piece;
      continue;
    }
    const element = toElement(c);
    if (element) children.push(element);
  }

  const attrs = (node[ATTRS] as Record<string, string> | undefined) ?? {};
  return { name, attrs: { ...attrs }, children, text };
}

const XML_SPECIAL = /[&<>'"]/g;
const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;',
};

/** Text or an attribute value as XML writes it. */
function escapeXml(value: string): string {
  // Most values need nothing: one test instead of two replacements.
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(INVALID_XML_CHARS, '')
    .replace(XML_SPECIAL, (c) => XML_ESCAPES[c] as string);
}
