// The demo's client half: everything through @blinked/sdk, the client generated from
// openapi.json, as any API consumer would. Registers (or signs in) a demo user, submits a
// prompt, shows a live progress bar from the event stream, downloads the MP4, thumbnail
// and captions into ./out/ and prints where they are.
// Usage (scripts/demo.sh runs it): node dist/scripts/demo-client.js <baseUrl> [prompt]
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  authLogin,
  authRegister,
  type BlinkedClient,
  createBlinkedClient,
  unwrap,
  type VideoDto,
  videosCaptions,
  videosFile,
  videosThumbnail,
} from '@blinked/sdk';

export const DEFAULT_PROMPT =
  'Explain how honeybees make honey. Forager bees collect nectar from flowers and carry it home in a special honey stomach. ' +
  'Back at the hive, house bees pass the nectar from mouth to mouth, adding enzymes that break its sugars down. ' +
  'They spread it across the wax cells and fan it with their wings until most of the water evaporates. ' +
  'When the honey is thick enough, the bees seal each cell with a cap of wax, and it keeps for years.';

const DEMO_USER = { email: 'demo@blinked.local', username: 'demo', password: 'blinked-demo-password' };

/** Registers the demo user, or signs in when it exists from an earlier run. */
async function signIn(blinked: BlinkedClient): Promise<void> {
  const registered = await authRegister({ client: blinked.client, body: DEMO_USER });
  const pair =
    registered.response?.status === 409
      ? unwrap(await authLogin({ client: blinked.client, body: { email: DEMO_USER.email, password: DEMO_USER.password } }))
      : unwrap(registered);
  blinked.setTokens(pair);
}

function bar(progress: number, stage: string, tty: boolean): string {
  const width = 30;
  const filled = Math.round((progress / 100) * width);
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(progress).padStart(3)}%  ${stage}`;
  return tty ? `\r${line.padEnd((process.stdout.columns || 100) - 1).slice(0, (process.stdout.columns || 100) - 1)}` : `${line}\n`;
}

/** The MP4, thumbnail and captions of a completed video, through the SDK's media functions. */
async function downloadAll(blinked: BlinkedClient, video: VideoDto, outDir: string) {
  const files = { video: resolve(outDir, `${video.id}.mp4`), thumbnail: resolve(outDir, `${video.id}.jpg`), captions: resolve(outDir, `${video.id}.vtt`) };
  const options = { client: blinked.client, path: { id: video.id }, parseAs: 'arrayBuffer' as const };
  const [mp4, jpeg, vtt] = await Promise.all([videosFile(options), videosThumbnail(options), videosCaptions(options)]);
  await mkdir(outDir, { recursive: true });
  await writeFile(files.video, Buffer.from(unwrap(mp4) as unknown as ArrayBuffer));
  await writeFile(files.thumbnail, Buffer.from(unwrap(jpeg) as unknown as ArrayBuffer));
  await writeFile(files.captions, Buffer.from(unwrap(vtt) as unknown as ArrayBuffer));
  return files;
}

/** What `npm run demo -- --aspect-ratio 9:16 --captions burned --caption-style word` may choose. */
export interface DemoOptions {
  aspectRatio?: '16:9' | '9:16' | '1:1';
  captions?: 'burned' | 'sidecar';
  captionStyle?: 'phrase' | 'word';
}

const FLAGS: Record<string, keyof DemoOptions> = { '--aspect-ratio': 'aspectRatio', '--captions': 'captions', '--caption-style': 'captionStyle' };

/** Leading `--flag value` pairs, then the prompt's words; the api validates the values and says what is wrong. */
export function parseDemoArgs(args: string[]): { options: DemoOptions; prompt: string } {
  const options: Record<string, string> = {};
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('--'); i += 2) {
    const key = FLAGS[args[i]!];
    if (!key || args[i + 1] === undefined) throw new Error(`unknown option ${args[i]} (known: ${Object.keys(FLAGS).join(', ')}, each with a value)`);
    options[key] = args[i + 1]!;
  }
  return { options: options as DemoOptions, prompt: args.slice(i).join(' ').trim() };
}

export async function runDemo(baseUrl: string, prompt: string, outDir: string, options: DemoOptions = {}): Promise<void> {
  const blinked = createBlinkedClient({ baseUrl });
  await signIn(blinked);
  const tty = Boolean(process.stdout.isTTY);
  let shown = '';
  const video = await blinked
    .generateAndWait(
      { prompt, slideCount: 5, ...options },
      {
        onProgress: (v) => {
          if (!shown) console.log(`Submitted video ${v.id}`);
          const line = bar(v.progress, v.stage, tty);
          if (line !== shown) process.stdout.write(line);
          shown = line;
        },
      },
    )
    .finally(() => tty && process.stdout.write('\n'));
  const files = await downloadAll(blinked, video, outDir);
  console.log(`\n"${video.title}" is ready: ${video.durationSeconds?.toFixed(1)} s`);
  console.log(`  video:     ${files.video}`);
  console.log(`  thumbnail: ${files.thumbnail}`);
  console.log(`  captions:  ${files.captions}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [base, ...rest] = process.argv.slice(2);
  if (!base) {
    console.error('usage: demo-client <baseUrl> [--aspect-ratio 16:9|9:16|1:1] [--captions burned|sidecar] [--caption-style phrase|word] [prompt]');
    process.exit(2);
  }
  let args: ReturnType<typeof parseDemoArgs>;
  try {
    args = parseDemoArgs(rest);
  } catch (e) {
    console.error(`demo: ${(e as Error).message}`);
    process.exit(2);
  }
  runDemo(base, args.prompt || DEFAULT_PROMPT, resolve('out'), args.options).catch((e: unknown) => {
    console.error(`\ndemo failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
