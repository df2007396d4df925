import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Dockerfile, checked without a Docker engine: its build stage must copy in every
 * source folder `npm run build` compiles (tsconfig.build.json's include, and the SDK
 * package that scripts/build.mjs builds on its own), or the image build fails where no
 * test here would notice.
 */
const root = process.cwd();
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const buildStage = dockerfile.split(/^FROM /m)[1]!;
const copied = new Set([...buildStage.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/)));

describe('Dockerfile', () => {
  it('copies every folder the build compiles into its build stage', () => {
    const build = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    const folders = new Set(build.include.map((pattern) => pattern.split('/')[0]!));
    for (const line of readFileSync(join(root, 'scripts/build.mjs'), 'utf8').matchAll(/'-p', '([^']+)'/g)) folders.add(line[1]!.split('/')[0]!);
    expect(folders).toContain('packages');
    for (const folder of folders) {
      if (folder.endsWith('.json')) continue;
      expect({ folder, copied: copied.has(folder) }).toEqual({ folder, copied: true });
    }
  });
});
