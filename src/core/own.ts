/**
 * `table[key]` when the table itself has that key, else undefined. For lookup tables written as
 * object literals and keyed by names from configuration: `toString`, `constructor` or `__proto__`
 * in a config file must not find an Object.prototype member.
 */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
