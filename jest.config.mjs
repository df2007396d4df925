// Jest runs in native ESM mode (NestJS 12 packages are ESM-only and Node 20's
// Jest cannot require() them), with ts-jest transpiling each file in isolation.
const libs = ['config', 'db', 'auth', 'jobs', 'ai', 'media', 'storage'];

export default {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testRegex: String.raw`(apps|libs|test)/.*\.(spec|e2e-spec)\.ts$`,
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: {
    ...Object.fromEntries(libs.map((l) => [`^@app/${l}$`, `<rootDir>/libs/${l}/src/index.ts`])),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 60000,
};
