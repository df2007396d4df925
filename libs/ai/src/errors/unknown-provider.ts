/**
 * The `default` of a switch over a provider union: the compiler proves it unreachable, and
 * should configuration ever let an unknown name through, the process stops at start with
 * one line instead of quietly running another provider.
 */
export function unknownProvider(variable: string, value: never): never {
  throw new Error(`${variable} "${String(value)}" names no provider this build has`);
}
