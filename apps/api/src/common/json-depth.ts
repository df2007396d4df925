/**
 * No request this API takes nests deeper than a few levels; anything deeper is
 * refused before JSON.parse builds it, because class-transformer and
 * class-validator walk values recursively and overflow the stack (a 500) on
 * arrays or objects thousands of levels deep.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Scans JSON text without building it: undefined when no value nests deeper
 * than `max`, otherwise what is too deep, for the error message: the top-level
 * field it sits in, or the request body itself. Brackets inside strings do not
 * count. Malformed text is left to the real parser, which reports it.
 */
export function tooDeep(text: string, max = MAX_JSON_DEPTH): { field?: string } | undefined {
  let depth = 0;
  let topIsObject = false;
  let field: string | undefined;
  // The top-level object's key is the last string read at depth 1 before a ':'.
  let lastString: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
      if (depth === 1 && topIsObject) lastString = text.slice(start, i + 1);
    } else if (c === 0x3a /* : */) {
      if (depth === 1 && topIsObject && lastString !== undefined) field = decodeKey(lastString);
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (depth === 0) topIsObject = c === 0x7b;
      depth++;
      if (depth > max) return { field: depth > 1 && topIsObject ? field : undefined };
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return undefined;
}

function decodeKey(quoted: string): string {
  try {
    const key: unknown = JSON.parse(quoted);
    return typeof key === 'string' ? key : quoted;
  } catch {
    return quoted;
  }
}
