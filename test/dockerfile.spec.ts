import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Dockerfile, checked without a Docker engine (none runs where the tests do): its
 * stages, user, packages and healthcheck must fit the code, or the image build or the
 * first container start fails where no other test here would notice.
 */
const root = process.cwd();
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

/** The instructions, with continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const lines = text.split('\n').filter((line) => !/^\s*#/.test(line));
  const joined = lines.join('\n').replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line)!;
      return { keyword: keyword!.toUpperCase(), args: args!.replace(/\s+/g, ' ') };
    });
}

const all = instructions(read('Dockerfile'));
const stages = all.reduce<Instruction[][]>((acc, i) => (i.keyword === 'FROM' ? [...acc, [i]] : (acc.at(-1)?.push(i), acc)), []);
const stageName = (stage: Instruction[]) => /\bAS (\S+)$/i.exec(stage[0]!.args)?.[1];
const final = stages.at(-1)!;
const named = (stage: Instruction[], keyword: string) => stage.filter((i) => i.keyword === keyword);
const execForm = (args: string) => JSON.parse(args) as string[];
/** `dist/x/y.js` comes from `x/y.ts`: the build compiles the repository root into dist/. */
const sourceOf = (built: string) => built.replace(/^dist\//, '').replace(/\.js$/, '.ts');

const aptPackages = (stage: Instruction[]) =>
  named(stage, 'RUN')
    .flatMap((run) => run.args.split('&&'))
    .filter((command) => /\bapt-get install\b/.test(command))
    .flatMap((command) => command.split(/\s+/).slice(command.split(/\s+/).indexOf('install') + 1))
    .filter((word) => word && !word.startsWith('-'));

/**
 * What scripts/setup.sh installs that the image must not: tools of the tests and of the
 * setup itself, and the servers the processes connect to (run elsewhere: compose
 * services, managed services).
 */
const NOT_IN_IMAGE: Record<string, string> = {
  chromium: 'the playback tests',
  curl: 'the setup script',
  postgresql: 'a server of its own',
  'postgresql-client': 'the setup script and tests',
  'redis-server': 'a server of its own (and the tests’ private ones)',
  'redis-tools': 'the tests',
  iproute2: 'npm run test:hosts',
  'docker-compose': 'validating docker-compose.yml in the tests',
};

describe('Dockerfile', () => {
  it('copies every folder the build compiles into its build stage', () => {
    const buildStage = stages.find((s) => stageName(s) === 'build')!;
    const copied = new Set(named(buildStage, 'COPY').flatMap((c) => (c.args.startsWith('--from') ? [] : c.args.split(' ').slice(0, -1))));
    const build = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    const folders = new Set(build.include.map((pattern) => pattern.split('/')[0]!));
    for (const line of read('scripts/build.mjs').matchAll(/'-p', '([^']+)'/g)) folders.add(line[1]!.split('/')[0]!);
    expect(folders).toContain('packages');
    for (const folder of folders) {
      if (folder.endsWith('.json')) continue;
      expect({ folder, copied: copied.has(folder) }).toEqual({ folder, copied: true });
    }
  });

  it('builds in stages from one Node 22 slim base, the major in .nvmrc', () => {
    expect(stages.map(stageName)).toEqual(['build', 'deps', 'runtime']);
    const bases = new Set(stages.map((s) => s[0]!.args.split(' ')[0]));
    // One base for all: the native modules installed in `deps` run on the runtime's Node and libc.
    expect(bases.size).toBe(1);
    const [base] = [...bases];
    expect(base).toMatch(/^node:(\d+)-[a-z]+-slim$/);
    expect(base!.split(':')[1]!.split('-')[0]).toBe(read('.nvmrc').replace(/\D/g, ''));
  });

  it('ships production dependencies only, from the stage that installs nothing else', () => {
    const deps = stages.find((s) => stageName(s) === 'deps')!;
    expect(named(deps, 'RUN').map((r) => r.args)).toEqual([expect.stringMatching(/^npm ci --omit=dev\b/)]);
    const copies = named(final, 'COPY').map((c) => c.args);
    expect(copies).toContain('--from=deps /app/node_modules ./node_modules');
    expect(copies.filter((c) => c.includes('node_modules'))).toHaveLength(1);
    // dist/ is ESM: without package.json's "type": "module" beside it, node refuses it.
    expect(copies).toContain('--from=build /app/package.json ./');
    expect(JSON.parse(read('package.json'))).toMatchObject({ type: 'module' });
  });

  it('runs as a user other than root, from before anything starts', () => {
    const users = named(final, 'USER').map((u) => u.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    const lastUser = final.lastIndexOf(named(final, 'USER').at(-1)!);
    for (const keyword of ['HEALTHCHECK', 'ENTRYPOINT', 'CMD'])
      expect([keyword, final.findIndex((i) => i.keyword === keyword) > lastUser]).toEqual([keyword, true]);
    expect(
      named(final, 'ENV')
        .map((e) => e.args)
        .join(' '),
    ).toMatch(/\bNODE_ENV=production\b/);
  });

  it("installs every runtime package of scripts/setup.sh, the offline voices' data, and no test tool", () => {
    const setup = [...read('scripts/setup.sh').matchAll(/need\+=\(([^)]+)\)/g)].map((m) => m[1]!.trim());
    // The exceptions stay true to the script: each is something it really installs.
    for (const name of Object.keys(NOT_IN_IMAGE)) expect(setup).toContain(name);
    const runtime = setup.filter((name) => !(name in NOT_IN_IMAGE));
    expect(runtime).toEqual(expect.arrayContaining(['ffmpeg', 'festival', 'festvox-us-slt-hts', 'espeak-ng', 'fonts-noto-core', 'fonts-noto-cjk']));
    const image = aptPackages(final);
    expect(image).toEqual(expect.arrayContaining([...runtime, 'espeak-ng-data']));
    for (const name of Object.keys(NOT_IN_IMAGE)) expect([name, image.includes(name)]).toEqual([name, false]);
    // Only the runtime stage has system packages; the others use the base image as it is.
    for (const stage of stages.slice(0, -1)) expect(aptPackages(stage)).toEqual([]);
  });

  it('starts under tini, which it installs, and by default runs the api, which the build makes', () => {
    const [init, ...rest] = execForm(named(final, 'ENTRYPOINT').at(-1)!.args);
    expect([init, rest]).toEqual(['/usr/bin/tini', ['--']]);
    expect(aptPackages(final)).toContain('tini');
    const cmd = execForm(named(final, 'CMD').at(-1)!.args);
    expect(cmd).toEqual(['node', 'dist/apps/api/src/main.js']);
    expect(existsSync(join(root, sourceOf(cmd[1]!)))).toBe(true);
    expect(named(final, 'COPY').map((c) => c.args)).toContain('--from=build /app/dist ./dist');
  });

  it('checks its health with a script the build compiles, and exposes the ports it asks', () => {
    const healthchecks = named(final, 'HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    const [, options, command] = /^((?:--\S+ )*)CMD (.+)$/.exec(healthchecks[0]!.args)!;
    expect(options).toMatch(/--start-period=\d+s/); // the api migrates before it listens
    const [node, script] = execForm(command!);
    expect(node).toBe('node');
    const source = sourceOf(script!);
    expect(source).toMatch(/^scripts\/[^/]+\.ts$/);
    expect(existsSync(join(root, source))).toBe(true);
    expect((JSON.parse(read('tsconfig.build.json')) as { include: string[] }).include).toContain('scripts/**/*.ts');
    // The ports the script falls back to are set, and exposed.
    const env = Object.fromEntries(named(final, 'ENV').flatMap((e) => e.args.split(' ').map((pair) => pair.split('=') as [string, string])));
    const exposed = named(final, 'EXPOSE').flatMap((e) => e.args.split(' '));
    expect(exposed).toEqual(expect.arrayContaining([env.PORT, env.WORKER_HTTP_PORT]));
    expect([env.PORT, env.WORKER_HTTP_PORT]).toEqual(['8000', '9464']);
  });

  it('keeps secrets and host builds out of the build context, but nothing the build copies', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['.env', '.git', 'node_modules', 'dist', '.runtime']));
    const copiedFromContext = stages.flatMap((s) => named(s, 'COPY').flatMap((c) => (c.args.startsWith('--from') ? [] : c.args.split(' ').slice(0, -1))));
    for (const path of copiedFromContext) expect([path, ignored.includes(path)]).toEqual([path, false]);
    // `npm ci` reads .npmrc (legacy-peer-deps): it must reach the build.
    expect(copiedFromContext).toContain('.npmrc');
  });
});
