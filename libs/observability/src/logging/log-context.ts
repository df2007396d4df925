import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every line logged in the current unit of work carries (a request's id and user, a job's queue, id, attempt, video). */
export type LogFields = Record<string, string | number | undefined>;

const storage = new AsyncLocalStorage<LogFields>();

/**
 * Runs `fn` with `fields` on every line it logs, through every await inside it: the
 * loggers' mixin reads them, so code deep in a stage needs no logger handed down.
 */
export function withLogFields<T>(fields: LogFields, fn: () => T): T {
  return storage.run({ ...fields }, fn);
}

/**
 * The current unit of work's fields, mutable: what becomes known half-way (the user,
 * once the guard has checked the token) is added here and appears on the lines after.
 */
export function currentLogFields(): LogFields | undefined {
  return storage.getStore();
}
