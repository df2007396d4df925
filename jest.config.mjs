// Jest runs in native ESM mode (NestJS 12 packages are ESM-only, and Jest's own
// module loader cannot require() them, even on Node 22), with ts-jest transpiling
// each file in isolation.
const libs = ['common', 'config', 'db', 'auth', 'jobs', 'ai', 'media', 'storage', 'webhooks', 'observability'];

export default {
  rootDir: '.',
  // Node's environment, counting failures so harnesses print captured output only then.
  testEnvironment: '<rootDir>/test/support/test-environment.mjs',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testRegex: String.raw`(apps|libs|test|packages)/.*\.(spec|e2e-spec|medium-spec)\.ts$`,
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
    // @fastify/static (CommonJS) require()s content-disposition, which is ESM-only;
    // Jest's CommonJS loader cannot require() ESM (on Node 22 too: without this,
    // "The @fastify/static package is missing"), so that one package is compiled to CJS.
    '/node_modules/content-disposition/.+\\.js$': [
      'ts-jest',
      { useESM: false, tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node10', isolatedModules: true, ignoreDeprecations: '6.0' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleNameMapper: {
    ...Object.fromEntries(libs.map((l) => [`^@app/${l}$`, `<rootDir>/libs/${l}/src/index.ts`])),
    '^@blinked/sdk$': '<rootDir>/packages/sdk/src/index.ts',
    // Specs anywhere reach the shared test helpers as @test/<path>.js (tsconfig paths).
    '^@test/(.*)\\.js$': '<rootDir>/test/$1',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  testTimeout: 60000,
  // Two files at a time even on two cores (Jest's default there is one): most end-to-end files
  // spend their time waiting on child processes, outages and queues, not on the CPU. Every
  // file has its own database, queue prefix and storage, so concurrent files never meet.
  maxWorkers: 2,
};
