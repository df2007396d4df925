// Compiles the monorepo with tsc, then rewrites the `@app/*` path aliases into
// relative `.js` imports so plain `node dist/...` runs without a loader.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { stdio: 'inherit' });
execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json', '--resolve-full-paths'], { stdio: 'inherit' });
// The SDK on its own too, as the package it is (packages/sdk/dist: ESM and declarations).
rmSync(new URL('../packages/sdk/dist', import.meta.url), { recursive: true, force: true });
execFileSync(bin('tsc'), ['-p', 'packages/sdk/tsconfig.json'], { stdio: 'inherit' });
