type Child = Node | string | null | undefined | false;

/** Creates an element with attributes (`class`, `data-*`, aria …) and children; text is escaped. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from the page`);
  return node as T;
}

/** "5 min", "1 h 20 min": time since an instant, rounded down to minutes past the first one. */
export function elapsed(fromIso: string, now: number, lang: 'en' | 'ru'): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 1000));
  const [h, m] = lang === 'ru' ? ['ч', 'мин'] : ['h', 'min'];
  if (seconds < 60) return `${seconds} s`.replace('s', lang === 'ru' ? 'с' : 's');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} ${m}`;
  return `${Math.floor(minutes / 60)} ${h} ${minutes % 60} ${m}`;
}
