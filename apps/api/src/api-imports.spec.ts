import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The api must stay light: no native canvas (skia's .node binary), no ffmpeg
 * wrapper, no provider SDKs. Those live in @app/media and @app/ai, which only the
 * worker loads. This walks the api's import graph from its entry point (static and
 * dynamic imports, @app/* aliases resolved as tsconfig does) and names the path to
 * any forbidden module it reaches.
 */
const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '../../..');
const FORBIDDEN_PACKAGES = ['@napi-rs/canvas', '@google/genai', '@google-cloud/text-to-speech', 'google-gax'];
const FORBIDDEN_LIBS = ['libs/media/', 'libs/ai/'];

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    // Type-only imports vanish at compile time, so they load nothing.
    if (/^\s*(?:import|export)\s+type\s/.test(m[0].trimStart())) continue;
    found.push((m[1] ?? m[2])!);
  }
  return found;
}

function resolveLocal(from: string, spec: string): string | undefined {
  const alias = /^@app\/([a-z-]+)$/.exec(spec);
  const base = alias
    ? join(ROOT, 'libs', alias[1]!, 'src/index.ts')
    : spec.startsWith('.')
      ? join(dirname(from), spec.replace(/\.js$/, '.ts'))
      : undefined;
  if (!base) return undefined;
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  throw new Error(`${relative(ROOT, from)}: cannot resolve ${spec}`);
}

function forbiddenPath(entry: string): string[] | undefined {
  const seen = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  const trail = (file: string): string[] => {
    const path: string[] = [];
    for (let f: string | null = file; f; f = seen.get(f) ?? null) path.unshift(relative(ROOT, f));
    return path;
  };
  while (queue.length) {
    const file = queue.shift()!;
    if (FORBIDDEN_LIBS.some((lib) => relative(ROOT, file).startsWith(lib))) return trail(file);
    for (const spec of importsOf(file)) {
      if (FORBIDDEN_PACKAGES.some((p) => spec === p || spec.startsWith(`${p}/`))) return [...trail(file), spec];
      const next = resolveLocal(file, spec);
      if (next && !seen.has(next)) {
        seen.set(next, file);
        queue.push(next);
      }
    }
  }
  return undefined;
}

describe('the api import graph', () => {
  it('reaches neither native canvas, ffmpeg, nor any AI provider SDK', () => {
    expect(forbiddenPath(join(ROOT, 'apps/api/src/main.ts'))).toBeUndefined();
  });

  it('would notice a forbidden import (the walker is not blind)', () => {
    expect(forbiddenPath(join(ROOT, 'apps/worker/src/main.ts'))).toEqual(expect.arrayContaining(['apps/worker/src/main.ts']));
  });
});
