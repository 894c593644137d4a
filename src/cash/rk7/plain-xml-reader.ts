import type { XmlElement } from './xml-element.js';

/**
 * Reads the plain XML the RK7 interface exchanges in one pass: an optional declaration, then
 * elements with quoted attributes and text, the five predefined entities, whitespace around the
 * root. Anything else (comments, CDATA, DOCTYPE, processing instructions, numeric or HTML
 * character references, names outside ASCII, a `>` or control character in text or a value,
 * and every kind of error) gives `undefined`, and the caller hands the document to the full
 * parser and validator, whose verdict and tree then stand. So this reader only has to agree
 * with them on what it accepts; validating and parsing with the library cost ≈ 10 % of a
 * lifecycle's CPU (every reply is read on both sides of the in-process simulator).
 */
export function readPlainXml(text: string): XmlElement | undefined {
  const reader = new PlainReader(text);
  try {
    return reader.document();
  } catch (err) {
    if (err === NOT_PLAIN) return undefined;
    throw err;
  }
}

const NOT_PLAIN = Symbol('not plain XML');
const DECLARATION = /^<\?xml(?: [a-z]+="[\w.\- ]*")*\s*\?>/;
const NAME = /[A-Za-z_][\w.-]*/y;
const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'",
};
/** Control characters and CR (the full parser normalises line ends); `&` is handled apart. */
const UNUSUAL = /[\u0000-\u0008\u000B-\u001F>]/;

class PlainReader {
  readonly #text: string;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  document(): XmlElement {
    const declaration = DECLARATION.exec(this.#text);
    if (declaration) this.#at = declaration[0].length;

    this.#space();
    const root = this.#element();
    this.#space();
    if (this.#at !== this.#text.length) throw NOT_PLAIN;
    return root;
  }

  /** An element starting at `<`, through its end tag. */
  #element(): XmlElement {
    if (this.#text.charCodeAt(this.#at) !== 0x3c) throw NOT_PLAIN;
    this.#at += 1;
    const name = this.#name();
    const attrs: Record<string, string> = {};

    for (;;) {
      const spaced = this.#space();
      const c = this.#text.charCodeAt(this.#at);
      if (c === 0x2f) {
        if (this.#text.charCodeAt(this.#at + 1) !== 0x3e) throw NOT_PLAIN;
        this.#at += 2;
        return { name, attrs, children: [], text: '' };
      }
      if (c === 0x3e) {
        this.#at += 1;
        break;
      }
      if (!spaced) throw NOT_PLAIN;
      const key = this.#name();
      if (Object.hasOwn(attrs, key) || key === '__proto__') throw NOT_PLAIN;
      this.#space();
      if (this.#text.charCodeAt(this.#at) !== 0x3d) throw NOT_PLAIN;
      this.#at += 1;
      this.#space();
      attrs[key] = this.#quoted();
    }

    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const end = this.#text.indexOf('<', this.#at);
      if (end < 0) throw NOT_PLAIN;
      if (end > this.#at) {
        const piece = decode(this.#text.slice(this.#at, end));
        if (piece.trim() !== '') text += piece;
        this.#at = end;
      }
      if (this.#text.charCodeAt(end + 1) !== 0x2f) {
        children.push(this.#element());
        continue;
      }
      const after = end + 2 + name.length;
      if (!this.#text.startsWith(name, end + 2) || this.#text.charCodeAt(after) !== 0x3e) {
        throw NOT_PLAIN;
      }
      this.#at = after + 1;
      return { name, attrs, children, text };
    }
  }

  #name(): string {
    NAME.lastIndex = this.#at;
    const match = NAME.exec(this.#text);
    if (match === null) throw NOT_PLAIN;
    this.#at = NAME.lastIndex;
    return match[0];
  }

  #quoted(): string {
    const quote = this.#text[this.#at];
    if (quote !== '"' && quote !== "'") throw NOT_PLAIN;
    const end = this.#text.indexOf(quote, this.#at + 1);
    if (end < 0) throw NOT_PLAIN;
    const raw = this.#text.slice(this.#at + 1, end);
    if (raw.includes('<') || /[\t\n\r]/.test(raw)) throw NOT_PLAIN;
    this.#at = end + 1;
    return decode(raw);
  }

  /** Skips whitespace; whether there was any. */
  #space(): boolean {
    const from = this.#at;
    for (;;) {
      const c = this.#text.charCodeAt(this.#at);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return this.#at > from;
      this.#at += 1;
    }
  }
}

/** Text or a value with the predefined entities replaced. */
function decode(raw: string): string {
  if (UNUSUAL.test(raw)) throw NOT_PLAIN;
  if (!raw.includes('&')) return raw;

  return raw.replace(/&([^;&]*);?/g, (whole, entity: string) => {
    const value = whole.endsWith(';') ? ENTITIES[entity] : undefined;
    if (value === undefined) throw NOT_PLAIN;
    return value;
  });
}
