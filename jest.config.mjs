// Jest runs in ESM mode: @actions/core, /exec and /github are ESM-only.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  // Integration tests share one engine, registry and database: run files one at a time.
  maxWorkers: 1,
  testTimeout: 120000,
  verbose: false,
};
