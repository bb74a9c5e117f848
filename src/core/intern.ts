/**
 * One string per distinct short name (configuration keys, application names): a big file says
 * `exten` or `Dial` hundreds of thousands of times, and each slice of it would be a new string.
 * The names met most recently are compared in place first, so most lookups make no string at all.
 */
export class NameInterner {
  private readonly known = new Map<string, string>();
  /** Newest first. */
  private readonly recent: string[] = [];

  constructor(
    /** At most this many names are kept (a hostile file cannot grow the table without bound). */
    private readonly limit = 4096,
    private readonly recentSize = 8,
  ) {}

  /** The shared string equal to `name`. */
  intern(name: string): string {
    const known = this.known.get(name);
    if (known !== undefined) return known;
    if (this.known.size < this.limit) this.known.set(name, name);
    return name;
  }

  /** intern(text.slice(start, end)), without the slice when the name was met recently. */
  at(text: string, start: number, end: number): string {
    const length = end - start;
    const recent = this.recent;
    for (let i = 0; i < recent.length; i++) {
      const name = recent[i];
      if (name.length !== length) continue;
      let k = 0;
      while (k < length && name.charCodeAt(k) === text.charCodeAt(start + k)) k++;
      if (k === length) return name;
    }
    const name = this.intern(text.slice(start, end));
    recent.unshift(name);
    if (recent.length > this.recentSize) recent.pop();
    return name;
  }
}
