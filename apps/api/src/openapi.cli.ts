// `npm run openapi`: writes the API contract, openapi.json, from the code. The api module
// is built in Nest's preview mode, which reads the routes and DTO metadata without
// instantiating providers, so no PostgreSQL, Redis or secret is needed.
// `npm run openapi -- --check` writes nothing: it exits 1, printing the difference, when
// the committed openapi.json is not what the code produces (npm test runs it first).
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { useRoutePrefix } from './api.factory.js';
import { ApiModule } from './api.module.js';
import { buildOpenApi, serializeOpenApi } from './openapi.js';

const FILE = 'openapi.json';

async function produce(): Promise<string> {
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule, new FastifyAdapter(), { preview: true, logger: false });
  useRoutePrefix(app);
  const text = serializeOpenApi(buildOpenApi(app));
  await app.close();
  return text;
}

async function main(check: boolean): Promise<number> {
  const produced = await produce();
  if (!check) {
    writeFileSync(FILE, produced);
    console.log(`openapi: wrote ${FILE}`);
    return 0;
  }
  let committed = '';
  try {
    committed = readFileSync(FILE, 'utf8');
  } catch {
    console.error(`openapi: ${FILE} is missing; run \`npm run openapi\` and commit it`);
    return 1;
  }
  if (committed === produced) return 0;
  console.error(`openapi: ${FILE} is not what the code produces (- committed, + code):`);
  console.error(diff(committed, produced));
  console.error('If the API change is intended, run `npm run openapi`, review the difference as an API change, and commit it.');
  return 1;
}

main(process.argv.includes('--check')).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`openapi: failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);

/** A unified diff of the two texts, by git (present wherever the repository was cloned). */
function diff(committed: string, produced: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'blinked-openapi-'));
  try {
    writeFileSync(join(dir, 'committed.json'), committed);
    writeFileSync(join(dir, 'code.json'), produced);
    const run = spawnSync('git', ['diff', '--no-index', '--no-color', '-U2', 'committed.json', 'code.json'], { cwd: dir, encoding: 'utf8' });
    return run.stdout || run.stderr || '(git diff printed nothing)';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
