/**
 * Node ids derived from names (`e_shop_order_placed`), so that adding an event changes one line
 * of a diagram, not the numbering of every node after it. Ids hold only ASCII letters, digits and
 * `_` (valid in Mermaid, DOT, HTML and CSS without quoting); names that sanitize to the same id get
 * `_2`, `_3` in the order they are allocated, which callers keep sorted.
 */
export class StableIds {
  private readonly byKey = new Map<string, string>();
  private readonly used = new Set<string>();

  get(key: string, prefix: string, name: string): string {
    const known = this.byKey.get(key);
    if (known) return known;
    const base = `${prefix}_${sanitize(name)}`;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    this.byKey.set(key, id);
    return id;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }
}

export function sanitize(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9]/g, '_');
  return cleaned.length > 0 ? cleaned : '_';
}
