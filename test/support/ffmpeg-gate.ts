import { access, chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { listenLocal } from '../fakes/fake-http.js';

export interface FfmpegGate {
  /** The PATH a worker gets so that its stitch's ffmpeg runs go through the gate. */
  readonly path: string;
  /** Stitch ffmpeg runs held at the gate right now. */
  readonly waiting: number;
  /** Lets the held runs (and every later one) go on to the real ffmpeg. */
  release(): void;
  close(): Promise<void>;
}

async function realFfmpeg(): Promise<string> {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const file = join(dir, 'ffmpeg');
    if (
      await access(file).then(
        () => true,
        () => false,
      )
    ) {
      return file;
    }
  }
  throw new Error('ffmpeg not found on PATH');
}

/**
 * Holds a video in its stitch stage for as long as a test needs, the way the gated
 * proxies hold provider calls: an `ffmpeg` first on the worker's PATH that, when its
 * arguments name a stitch's work folder, waits for an answer from this gate's HTTP
 * server, then replaces itself (exec) with the real ffmpeg, which does the work
 * unchanged. Nothing in the worker knows; other ffmpeg runs pass straight through.
 */
export async function startFfmpegGate(): Promise<FfmpegGate> {
  const held = new Set<ServerResponse>();
  let open = false;
  const server = await listenLocal((_req, res) => {
    if (open) return void res.end();
    held.add(res);
    res.on('close', () => held.delete(res));
  });
  const dir = await mkdtemp(join(tmpdir(), 'blinked-ffmpeg-gate-'));
  // Any failure to reach the gate (it was closed) lets ffmpeg run: a broken test must not hang a worker.
  const wait = `require('http').get(process.argv[1], (r) => r.resume().on('end', () => process.exit(0))).on('error', () => process.exit(0))`;
  const script = [
    '#!/bin/sh',
    '# Written by test/support/ffmpeg-gate.ts: a stitch waits at the test gate, then the real ffmpeg takes over.',
    'case "$*" in',
    `  *-stitch-*) '${process.execPath}' -e "${wait}" '${server.origin}/' ;;`,
    'esac',
    `exec '${await realFfmpeg()}' "$@"`,
    '',
  ].join('\n');
  await writeFile(join(dir, 'ffmpeg'), script);
  await chmod(join(dir, 'ffmpeg'), 0o755);

  return {
    path: `${dir}${delimiter}${process.env.PATH ?? ''}`,
    get waiting() {
      return held.size;
    },
    release() {
      open = true;
      for (const res of held) res.end();
    },
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
