import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * SQL and TypeORM stay inside libs/db: services, stages and strategies ask the
 * repositories named questions. This reads every production source file outside
 * libs/db and names each place that reaches the database another way.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCANNED = ['apps', 'libs', 'scripts'];
// Benchmarks are instruments, like the tests: they time the pipeline from the rows' own
// timestamps and make throwaway databases, which is no question the application asks.
const NOT_PRODUCTION = /^scripts\/bench[-/]/;

const FORBIDDEN: { what: string; pattern: RegExp }[] = [
  { what: '.query(', pattern: /\.query\s*(<[^>\n]*>)?\s*\(/g },
  { what: 'getRepository(', pattern: /\bgetRepository\s*\(/g },
  { what: 'createQueryBuilder(', pattern: /\bcreateQueryBuilder\s*\(/g },
  { what: 'createQueryRunner(', pattern: /\bcreateQueryRunner\s*\(/g },
  { what: '.transaction(', pattern: /\.transaction\s*\(/g },
  { what: '@InjectRepository', pattern: /@InjectRepository\b/g },
  {
    what: 'import of DataSource, EntityManager or Repository from typeorm',
    pattern: /import\s+(?:type\s+)?\{[^}]*\b(?:DataSource|EntityManager|Repository)\b[^}]*\}\s*from\s*['"]typeorm['"]/g,
  },
];

function productionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : productionFiles(path);
    return entry.name.endsWith('.ts') && !/\.(spec|e2e-spec)\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** "file:line: what" for every forbidden use in the given source. */
function sqlBoundaryViolations(file: string, source: string): string[] {
  return FORBIDDEN.flatMap(({ what, pattern }) =>
    [...source.matchAll(pattern)].map((m) => `${file}:${source.slice(0, m.index).split('\n').length}: ${what}`),
  );
}

describe('the SQL boundary', () => {
  it('keeps SQL and TypeORM calls inside libs/db', () => {
    const files = SCANNED.flatMap((d) => productionFiles(join(ROOT, d)))
      .map((f) => relative(ROOT, f))
      .filter((f) => !f.startsWith('libs/db/'));
    expect(files.length).toBeGreaterThan(50); // the walk really found the sources
    const violations = files.filter((f) => !NOT_PRODUCTION.test(f)).flatMap((f) => sqlBoundaryViolations(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(violations).toEqual([]);
  });

  it('recognises every forbidden form', () => {
    const source = [
      "import { DataSource } from 'typeorm';",
      "import type {\n  Repository,\n} from 'typeorm';",
      'await db.query<Row[]>(sql);',
      'db.getRepository(Video);',
      'repo.createQueryBuilder("v");',
      'ds.createQueryRunner();',
      'await ds.transaction(async () => 1);',
      '@InjectRepository(User) users',
      "import { QueryFailedError } from 'typeorm';", // allowed: error types are not data access
    ].join('\n');
    expect(sqlBoundaryViolations('x.ts', source)).toEqual([
      'x.ts:5: .query(',
      'x.ts:6: getRepository(',
      'x.ts:7: createQueryBuilder(',
      'x.ts:8: createQueryRunner(',
      'x.ts:9: .transaction(',
      'x.ts:10: @InjectRepository',
      'x.ts:1: import of DataSource, EntityManager or Repository from typeorm',
      'x.ts:2: import of DataSource, EntityManager or Repository from typeorm',
    ]);
  });
});
