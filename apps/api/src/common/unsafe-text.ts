// In unicode mode a well-formed surrogate pair is one code point, so \p{Cs}
// matches only the unpaired halves. NUL is the control character refused on purpose.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000\p{Cs}]/u;
// eslint-disable-next-line no-control-regex
const UNSAFE_ALL = /[\u0000\p{Cs}]/gu;

export const UNSAFE_TEXT_MESSAGE = 'must not contain NUL characters or unpaired UTF-16 surrogates';

/**
 * The path of the first string (or key) in a request value that PostgreSQL
 * cannot store as text: NUL is refused by its text types, and an unpaired
 * surrogate has no UTF-8 form. Undefined when every string is clean. Walks
 * without recursion: the body parser bounds depth, but query objects are not
 * parsed by it.
 */
export function findUnsafeText(value: unknown, root = ''): string | undefined {
  // Breadth first, so the field named is the shallowest one, in body order.
  const pending: [unknown, string][] = [[value, root]];
  for (let next = 0; next < pending.length; next++) {
    const [current, path] = pending[next]!;
    if (typeof current === 'string') {
      if (UNSAFE.test(current)) return printable(path || 'value');
    } else if (Array.isArray(current)) {
      current.forEach((item, i) => pending.push([item, `${path}[${i}]`]));
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        const at = path ? `${path}.${key}` : key;
        if (UNSAFE.test(key)) return printable(at);
        pending.push([item, at]);
      }
    }
  }
  return undefined;
}

// The path goes into an error message: the offending characters themselves are not repeated.
function printable(path: string): string {
  return path.replace(UNSAFE_ALL, '\ufffd');
}
