/**
 * Index of the bracket that closes the one at `open` (nesting counted, as switch_find_end_paren
 * and Asterisk's variable parser do), or -1 when it is never closed.
 */
export function matchingClose(s: string, open: number, openChar = '{', closeChar = '}'): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === openChar) depth++;
    else if (s[i] === closeChar && --depth === 0) return i;
  }
  return -1;
}
