import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

/**
 * The layers, as rules (docs/architecture.md draws them): lib/ is plain TypeScript and never
 * imports state/ or ui/; state/ never imports ui/; nothing in src/ imports e2e/ or bench/, and only
 * unit tests and their `testing/` helpers import test-support/; lib/shared/ imports no feature;
 * the engine knows no feature (its worker entries wire it to model storage); no import cycles.
 */
const layer = (target, from, message) => ({ target, from, message: ` ${message}` });
const zones = [
  layer('./src/lib', ['./src/state', './src/ui', './src/App.svelte'], 'lib/ never imports state/ or ui/.'),
  layer('./src/state', ['./src/ui', './src/App.svelte'], 'state/ never imports ui/.'),
  layer('./src', ['./e2e', './bench', './scripts'], 'src/ never imports e2e/, bench/ or scripts/.'),
  {
    target: './src/lib/shared',
    from: './src/lib',
    except: ['./shared'],
    message: ' lib/shared/ is what every feature uses: it imports no feature.',
  },
  layer('./test-support', ['./src', './e2e', './bench'], 'test-support/ belongs to no suite.'),
  layer('./e2e', ['./bench'], 'e2e/ never imports bench/.'),
  layer('./bench', ['./e2e/fixtures', './e2e/helpers.ts'], 'bench/ shares fixtures only through test-support/.'),
];
const testSupportZone = layer('./src', './test-support', 'only unit tests and testing/ helpers use test-support/.');
const engineZone = layer(
  './src/lib/engine',
  ['chat', 'documents', 'models', 'servers', 'speech', 'summarize', 'translate'].map((f) => `./src/lib/${f}`),
  'the engine knows no feature; a *.worker.ts entry wires it to model storage.',
);
const restrictedPaths = (...extra) => ['error', { zones: [...zones, ...extra] }];

export default ts.config(
  {
    ignores: [
      'dist/',
      'dev-dist/',
      '**/node_modules/',
      'test-results/',
      'playwright-report/',
      'bench/results/',
      'bench/dist/',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
  },
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.mjs', '.js', '.svelte'] })],
      // Cycles are followed through TypeScript and JavaScript modules; components import stores, not
      // the other way round (the zones above say so), so a cycle cannot pass through a component.
      'import-x/extensions': ['.ts', '.mjs', '.js'],
      'import-x/ignore': ['\\.svelte$', '\\?(url|worker|raw)$'],
      // A module named from a component is read as TypeScript, not with the component's parser.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mjs', '.js'] },
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': restrictedPaths(testSupportZone),
    },
  },
  {
    files: ['src/**/*.test.ts', 'src/**/testing/**'],
    rules: { 'import-x/no-restricted-paths': restrictedPaths() },
  },
  {
    files: ['src/lib/engine/**'],
    ignores: ['src/lib/engine/*.worker.ts', 'src/lib/engine/**/*.test.ts', 'src/lib/engine/testing/**'],
    rules: { 'import-x/no-restricted-paths': restrictedPaths(testSupportZone, engineZone) },
  },
);
