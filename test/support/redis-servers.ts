import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './wait.js';

const run = promisify(execFile);

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** redis-cli against a local port; resolves with its output, or '' when it cannot connect. */
export async function redisCli(port: number, args: string[], password?: string): Promise<string> {
  const auth = password ? ['--no-auth-warning', '-a', password] : [];
  return run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...auth, ...args]).then(
    (r) => r.stdout.trim(),
    (e: { stdout?: string }) => e.stdout?.trim() ?? '',
  );
}

export interface RedisProcess {
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * A private redis-server (or, with `--sentinel`, a sentinel) on a free port, in
 * `dir`, with no persistence; resolves once it answers PING.
 */
export async function startRedisServer(dir: string, args: string[] = [], options: { password?: string; configFile?: string } = {}): Promise<RedisProcess> {
  const port = await freePort();
  const argv = [...(options.configFile ? [options.configFile] : []), '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...args];
  if (!args.includes('--sentinel')) argv.push('--save', '', '--appendonly', 'no');
  const child: ChildProcess = spawn('redis-server', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  try {
    await waitFor(
      async () => (child.exitCode === null ? redisCli(port, ['ping'], options.password) : `exited: ${out.slice(-500)}`),
      (answer) => answer === 'PONG' || answer.startsWith('exited'),
      10_000,
      `redis-server on port ${port}`,
    ).then((answer) => {
      if (answer !== 'PONG') throw new Error(`redis-server ${argv.join(' ')} ${answer}`);
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, output: () => out, stop };
}

export interface RedisCluster {
  /** host:port,host:port, as REDIS_CLUSTER_NODES takes it. */
  nodesEnv: string;
  nodes: RedisProcess[];
  stop(): Promise<void>;
}

/** Three masters, no replicas, in a temporary directory removed by stop(). */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'blinked-cluster-'));
  const nodes: RedisProcess[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const nodeDir = join(dir, `node-${i}`);
      await mkdir(nodeDir);
      nodes.push(await startRedisServer(nodeDir, ['--cluster-enabled', 'yes', '--cluster-config-file', join(nodeDir, 'nodes.conf')]));
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    for (const node of nodes) {
      await waitFor(
        () => redisCli(node.port, ['cluster', 'info']),
        (info) => info.includes('cluster_state:ok'),
        20_000,
        `cluster_state:ok on ${node.port}`,
      );
    }
    return { nodesEnv: addresses.join(','), nodes, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

export interface RedisWithSentinel {
  master: RedisProcess;
  sentinel: RedisProcess;
  masterName: string;
  stop(): Promise<void>;
}

/**
 * One master and one sentinel watching it (Debian may lack the redis-sentinel
 * binary; `redis-server <conf> --sentinel` is the same program). Sentinel
 * rewrites its configuration file, so it lives in the temporary directory.
 */
export async function startRedisWithSentinel(options: { masterPassword?: string; sentinelPassword?: string } = {}): Promise<RedisWithSentinel> {
  const dir = await mkdtemp(join(tmpdir(), 'blinked-sentinel-'));
  const masterName = 'blinked-test';
  const procs: RedisProcess[] = [];
  const stop = async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const master = await startRedisServer(dir, options.masterPassword ? ['--requirepass', options.masterPassword] : [], {
      password: options.masterPassword,
    });
    procs.push(master);
    const conf = join(dir, 'sentinel.conf');
    await writeFile(
      conf,
      [
        `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 1`,
        `sentinel down-after-milliseconds ${masterName} 60000`,
        ...(options.masterPassword ? [`sentinel auth-pass ${masterName} ${options.masterPassword}`] : []),
        ...(options.sentinelPassword ? [`requirepass ${options.sentinelPassword}`] : []),
        '',
      ].join('\n'),
    );
    const sentinel = await startRedisServer(dir, ['--sentinel'], { configFile: conf, password: options.sentinelPassword });
    procs.push(sentinel);
    await waitFor(
      () => redisCli(sentinel.port, ['sentinel', 'get-master-addr-by-name', masterName], options.sentinelPassword),
      (answer) => answer.includes(String(master.port)),
      10_000,
      'the sentinel to know the master',
    );
    return { master, sentinel, masterName, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
