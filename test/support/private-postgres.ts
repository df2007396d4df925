import { execFile } from 'node:child_process';
import { access, chown, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis-servers.js';
import { withClient } from './test-db.js';

const run = promisify(execFile);
/** Set by global-setup.mjs; in the folder's name so a later run can stop a cluster this one left behind. */
const RUN = process.env.BLINKED_TEST_RUN ?? String(process.ppid);
export const PRIVATE_PG_PREFIX = 'blinked-pg-';

export interface PrivatePostgres {
  port: number;
  /** A connection URL to `database` on this server. */
  url(database?: string): string;
  /** `pg_ctl stop -m fast`: sessions are terminated, then connections refused, as in a real restart. */
  stop(): Promise<void>;
  /** `pg_ctl start` on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  close(): Promise<void>;
}

/** The PostgreSQL server binaries: on PATH, or Debian's /usr/lib/postgresql/<version>/bin (newest). */
async function binDir(): Promise<string> {
  const candidates = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const debian = await readdir('/usr/lib/postgresql').catch(() => [] as string[]);
  candidates.push(...debian.sort((a, b) => Number(b) - Number(a)).map((v) => `/usr/lib/postgresql/${v}/bin`));
  for (const dir of candidates) {
    if (
      await access(join(dir, 'pg_ctl')).then(
        () => true,
        () => false,
      )
    ) {
      return dir;
    }
  }
  throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or under /usr/lib/postgresql');
}

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary folder, a free port,
 * trust authentication), which a test can really stop and start: unlike the shared
 * server, nothing else uses it. PostgreSQL refuses to run as root, so as root the
 * commands run as the `postgres` user (who then owns the folder).
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = await binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), `${PRIVATE_PG_PREFIX}${RUN}-`));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const pg = async (tool: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    try {
      await run(file, argv, { cwd: dir });
    } catch (e) {
      const tail = await readFile(log, 'utf8').then(
        (t) => t.slice(-2000),
        () => '',
      );
      throw new Error(`${tool} ${args.join(' ')}: ${(e as Error).message}\n${tail}`);
    }
  };
  if (asRoot) {
    const ids = (name: string) => run('id', [name, 'postgres']).then((r) => Number(r.stdout.trim()));
    await chown(dir, await ids('-u'), await ids('-g'));
  }
  const port = await freePort();
  let running = false;
  try {
    await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    // Durability is not what is tested; a small footprint and speed are.
    const settings = { port, listen_addresses: "'127.0.0.1'", unix_socket_directories: `'${dir}'`, fsync: 'off', shared_buffers: "'16MB'" };
    await writeFile(
      join(data, 'postgresql.conf'),
      Object.entries(settings)
        .map(([k, v]) => `${k} = ${v}\n`)
        .join(''),
      { flag: 'a' },
    );
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }

  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const start = async () => {
    await pg('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', 'start']);
    running = true;
  };
  const stop = async () => {
    await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
    running = false;
  };
  await start();
  // A connection, not only pg_ctl's word: the tests connect over TCP.
  await withClient(url(), (c) => c.query('SELECT 1'));
  return {
    port,
    url,
    stop,
    start,
    close: async () => {
      try {
        if (running) await stop();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
