/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // One worker per core (jest's default leaves one core idle): most suites wait on cdktf loading or
  // on child processes, so the second core halves the wall time on the 2-core CI machines.
  maxWorkers: '100%',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test-support/global-setup.js',
  // @swc/jest strips types only; `npm test` runs `tsc --noEmit` first for the type check.
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
