/** JSON log lines of a process's output (anything else it printed is skipped). */
export function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The lines a process logged at error level or above: what "no error was logged" checks look at. */
export function errorLines(output: string): Record<string, unknown>[] {
  return jsonLines(output).filter((l) => l.level === 'error' || l.level === 'fatal');
}
