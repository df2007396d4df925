import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** .env.example must document every variable the configuration reads, and nothing it does not. */
describe('.env.example', () => {
  const dir = join(process.cwd(), 'libs/config/src');
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  const read = new Set([...sources.matchAll(/\(env, '([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]!));
  const example = readFileSync(join(process.cwd(), '.env.example'), 'utf8');
  const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!));

  it('finds the variables the config reads', () => {
    expect(read.size).toBeGreaterThan(20);
    expect(read).toContain('DATABASE_URL');
  });

  it('documents each of them with a comment above it', () => {
    const lines = example.split('\n');
    for (const name of read) {
      if (name === 'GEMINI_API_KEY') continue; // an alias, named in GOOGLE_GEMINI_API_KEY's comment
      expect([name, documented.has(name)]).toEqual([name, true]);
      const at = lines.findIndex((l) => l.startsWith(`${name}=`));
      expect([name, lines[at - 1]?.startsWith('#')]).toEqual([name, true]);
    }
  });

  it('documents nothing the config does not read', () => {
    for (const name of documented) expect([name, read.has(name)]).toEqual([name, true]);
  });
});
