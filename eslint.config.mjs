import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Test and coverage reports (and the tiny projects that wrote them) exactly as the tools left them.
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'examples/', '__tests__/fixtures/gate/real/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Node's globals, for the plain .mjs scripts (TypeScript checks its own files).
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'Buffer',
          'URL',
          'fetch',
          'AbortController',
          'AbortSignal',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'performance',
        ].map((g) => [g, 'readonly']),
      ),
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // CommonJS files (the bundle's lazy stand-ins in src/lazy, the tests' load-trace preload).
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
