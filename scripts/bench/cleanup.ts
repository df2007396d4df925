// Everything a benchmark starts (processes, databases, temp dirs, Redis keys) registers how to
// undo it here, so a failure or Ctrl-C leaves the machine as it was found.

type Undo = () => Promise<void> | void;
const undos: Undo[] = [];
let signalled = false;

/** Registers an undo step; undone last-in first-out. Returns a function that runs it now (once). */
export function onCleanup(undo: Undo): () => Promise<void> {
  let done = false;
  const once: Undo = async () => {
    if (done) return;
    done = true;
    await undo();
  };
  undos.push(once);
  return async () => {
    undos.splice(undos.indexOf(once), 1);
    await once();
  };
}

/** Runs every registered undo step, newest first; one that fails does not stop the others. */
export async function cleanupAll(): Promise<void> {
  while (undos.length) {
    const undo = undos.pop()!;
    try {
      await undo();
    } catch (e) {
      console.error(`cleanup: ${(e as Error).message}`);
    }
  }
}

/** True once Ctrl-C or SIGTERM came: processes are then killed, not asked to finish their jobs. */
export function aborting(): boolean {
  return signalled;
}

/** Ctrl-C or SIGTERM: undo everything, then exit with the signal's conventional code. */
export function cleanUpOnSignals(): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      if (signalled) return;
      signalled = true;
      console.error(`\n${signal}: stopping what the benchmark started…`);
      void cleanupAll().finally(() => process.exit(code));
    });
  }
}
