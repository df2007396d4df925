import { inspect } from 'node:util';
import { ProviderError } from '@app/ai';

/** Awaits a call expected to fail and returns its ProviderError (fails the test otherwise). */
export async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const e = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProviderError);
  return e as ProviderError;
}

/** Everything an error could leak through (a key, say): message, stack, cause chain, own properties. */
export function everything(e: unknown): string {
  let out = inspect(e, { depth: 20, showHidden: true });
  for (let c: any = e; c; c = c.cause) out += `\n${String(c.message)}\n${String(c.stack)}\n${JSON.stringify(c, Object.getOwnPropertyNames(c))}`;
  return out;
}
