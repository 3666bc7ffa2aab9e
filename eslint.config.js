import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      // AssemblyScript: decorators such as @inline on functions are not TypeScript;
      // scripts/lint-as.ts (npm run lint:as) lints and formats it with them masked.
      'wasm/assembly/**',
      'dist/**',
      // The API site, built by npm run docs.
      'docs/api/**',
      'explorer/dist/**',
      'build/**',
      'node_modules/**',
      'out/**',
      'bench/results/**',
      '**/*.generated.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly' },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
);
