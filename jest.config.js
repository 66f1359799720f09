/** @type {import('jest').Config} */
const swc = (parser, extra = {}) => ['@swc/jest', { jsc: { target: 'es2022', parser, ...extra }, module: { type: 'commonjs' } }];

module.exports = {
  testEnvironment: 'node',
  // card/test: the qualification card's own tests (issue 13), run with everything else so `npm test` counts them.
  roots: ['<rootDir>/test', '<rootDir>/card/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    '^.+\\.ts$': swc({ syntax: 'typescript' }),
    '^.+\\.tsx$': swc({ syntax: 'typescript', tsx: true }, { transform: { react: { runtime: 'automatic' } } }),
    // @hubspot/ui-extensions and tinyspy (its test renderer's spies) ship ES modules only: compiled to CommonJS
    // like our own code. Their other dependencies (react, @remote-ui/*) ship CommonJS and are left alone.
    '/node_modules/(@hubspot/ui-extensions|tinyspy)/.+\\.js$': swc({ syntax: 'ecmascript' }),
  },
  transformIgnorePatterns: ['/node_modules/(?!(@hubspot/ui-extensions|tinyspy)/)'],
  globalSetup: '<rootDir>/test/global-setup.js',
  testTimeout: 30000,
  // Two cores: more workers than that only makes the suite slower.
  maxWorkers: 2,
  // The tests of each file run in a random order, a new one each run, so a test that leans on what an earlier
  // test left behind fails instead of passing by luck. The summary prints the seed; `npx jest <file> --seed=<n>`
  // runs that order again (README, Development).
  randomize: true,
};
