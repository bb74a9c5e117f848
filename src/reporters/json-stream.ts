/**
 * `JSON.stringify(value, null, 2)` a piece at a time, the same text: the objects and arrays of the
 * first `levels` levels are walked here, and each value below them is one JSON.stringify (native
 * code), its lines indented to the depth it sits at. A coverage map of 150,000 classes is 218 MB of
 * JSON: as one string it took ~1.4 GB of memory to make; as pieces it is never more than one class.
 *
 * Only what reports hold is handled: plain objects, arrays, strings, numbers, booleans and null
 * (no toJSON, no replacer). As in JSON.stringify, an object's undefined (and function) values are
 * left out, and in an array they are written null.
 */
export function streamJson(value: unknown, emit: (s: string) => void, levels: number, item: ItemOf = sameItem): void {
  write(value, '', levels, emit, item);
  emit('\n');
}

/**
 * What is written for an element of an array the walk goes through (by default the element):
 * a report can hand its elements over as they are and have each one made into what is written
 * only when it is written (coverage: the class with its path made relative).
 */
export type ItemOf = (element: unknown, array: readonly unknown[]) => unknown;
const sameItem: ItemOf = (element) => element;

function skipped(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function write(value: unknown, indent: string, levels: number, emit: (s: string) => void, item: ItemOf): void {
  if (levels <= 0 || value === null || typeof value !== 'object') {
    const text = JSON.stringify(value, null, 2) ?? 'null';
    // A JSON text has a raw line break only between its own lines (a string's is escaped "\n").
    emit(indent === '' || !text.includes('\n') ? text : text.replace(/\n/g, `\n${indent}`));
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      emit('[]');
      return;
    }
    emit('[');
    if (levels <= 1) {
      writeElements(value, inner, emit, item);
      emit(`\n${indent}]`);
      return;
    }
    for (let i = 0; i < value.length; i++) {
      emit(i === 0 ? `\n${inner}` : `,\n${inner}`);
      const v = item(value[i], value);
      if (skipped(v)) emit('null');
      else write(v, inner, levels - 1, emit, item);
    }
    emit(`\n${indent}]`);
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (skipped(v)) continue;
    emit(`${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `);
    first = false;
    write(v, inner, levels - 1, emit, item);
  }
  emit(first ? '{}' : `\n${indent}}`);
}

/** Elements written by one JSON.stringify call (each its own call cost more than the text's making). */
const BATCH = 256;

/**
 * The elements of an array that are written whole, after its "[": a batch at a time, each batch
 * one JSON.stringify of itself nested as deep as the array is (in as many arrays), so that native
 * code indents every line as it stands in the report; the nesting is cut off around the elements.
 */
function writeElements(array: readonly unknown[], inner: string, emit: (s: string) => void, item: ItemOf): void {
  const depth = inner.length / 2 - 1;
  // The text before the first element: each enclosing "[", a line break and the next depth's
  // indentation; after the last: a line break, each depth's indentation and "]".
  let before = 0;
  let after = 0;
  for (let k = 0; k <= depth; k++) {
    before += 2 + 2 * (k + 1);
    after += 2 + 2 * k;
  }
  for (let start = 0; start < array.length; start += BATCH) {
    const batch = array.slice(start, start + BATCH).map((e) => item(e, array));
    let nested: unknown = batch;
    for (let k = 0; k < depth; k++) nested = [nested];
    const text = JSON.stringify(nested, null, 2);
    emit(`${start === 0 ? '\n' : ',\n'}${inner}`);
    emit(text.slice(before, text.length - after));
  }
}
