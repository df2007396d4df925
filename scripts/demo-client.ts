// The demo's client half: everything through the public REST API, as any client would.
// Registers (or signs in) a demo user, submits a prompt, shows a live progress bar,
// downloads the MP4, thumbnail and captions into ./out/ and prints where they are.
// Usage (scripts/demo.sh runs it): node dist/scripts/demo-client.js <baseUrl> [prompt]
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export const DEFAULT_PROMPT =
  'Explain how honeybees make honey. Forager bees collect nectar from flowers and carry it home in a special honey stomach. ' +
  'Back at the hive, house bees pass the nectar from mouth to mouth, adding enzymes that break its sugars down. ' +
  'They spread it across the wax cells and fan it with their wings until most of the water evaporates. ' +
  'When the honey is thick enough, the bees seal each cell with a cap of wax, and it keeps for years.';

const DEMO_USER = { email: 'demo@blinked.local', username: 'demo', password: 'blinked-demo-password' };

interface Video {
  id: string;
  title: string;
  status: string;
  stage: string;
  progress: number;
  error: string | null;
  durationSeconds: number | null;
  links: { file: string | null; thumbnail: string | null; captions: string | null };
}

async function call<T>(base: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function signIn(base: string): Promise<string> {
  const reg = await call<{ accessToken: string; message?: string }>(base, 'POST', '/api/v1/auth/register', DEMO_USER);
  if (reg.status === 201) return reg.body.accessToken;
  if (reg.status !== 409) throw new Error(`register failed (${reg.status}): ${reg.body?.message}`);
  const login = await call<{ accessToken: string; message?: string }>(base, 'POST', '/api/v1/auth/login', {
    email: DEMO_USER.email,
    password: DEMO_USER.password,
  });
  if (login.status !== 200) throw new Error(`login failed (${login.status}): ${login.body?.message}`);
  return login.body.accessToken;
}

function bar(progress: number, stage: string, tty: boolean): string {
  const width = 30;
  const filled = Math.round((progress / 100) * width);
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(progress).padStart(3)}%  ${stage}`;
  return tty ? `\r${line.padEnd((process.stdout.columns || 100) - 1).slice(0, (process.stdout.columns || 100) - 1)}` : `${line}\n`;
}

async function download(base: string, path: string, token: string, to: string): Promise<void> {
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`download ${path} failed: ${res.status}`);
  await writeFile(to, Buffer.from(await res.arrayBuffer()));
}

export async function runDemo(base: string, prompt: string, outDir: string): Promise<void> {
  const token = await signIn(base);
  const submitted = await call<Video & { message?: string }>(base, 'POST', '/api/v1/videos/generate', { prompt, slideCount: 5 }, token);
  if (submitted.status !== 202) throw new Error(`submit failed (${submitted.status}): ${submitted.body?.message}`);
  const id = submitted.body.id;
  console.log(`Submitted video ${id}`);

  const tty = Boolean(process.stdout.isTTY);
  let shown = '';
  let video: Video;
  for (;;) {
    video = (await call<Video>(base, 'GET', `/api/v1/videos/${id}`, undefined, token)).body;
    const line = bar(video.progress, video.stage, tty);
    if (line !== shown) process.stdout.write(line);
    shown = line;
    if (['completed', 'failed', 'cancelled'].includes(video.status)) break;
    await delay(400);
  }
  if (tty) process.stdout.write('\n');
  if (video.status !== 'completed') throw new Error(`the video ${video.status}: ${video.error ?? 'no reason given'}`);

  await mkdir(outDir, { recursive: true });
  const files = {
    video: resolve(outDir, `${id}.mp4`),
    thumbnail: resolve(outDir, `${id}.jpg`),
    captions: resolve(outDir, `${id}.vtt`),
  };
  await download(base, video.links.file!, token, files.video);
  await download(base, video.links.thumbnail!, token, files.thumbnail);
  await download(base, video.links.captions!, token, files.captions);
  console.log(`\n"${video.title}" is ready: ${video.durationSeconds?.toFixed(1)} s`);
  console.log(`  video:     ${files.video}`);
  console.log(`  thumbnail: ${files.thumbnail}`);
  console.log(`  captions:  ${files.captions}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [base, ...words] = process.argv.slice(2);
  if (!base) {
    console.error('usage: demo-client <baseUrl> [prompt]');
    process.exit(2);
  }
  runDemo(base, words.join(' ').trim() || DEFAULT_PROMPT, resolve('out')).catch((e: unknown) => {
    console.error(`\ndemo failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
