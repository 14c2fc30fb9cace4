import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Server text reaches the UI only through React escaping.' },
      ],
    },
  },
  {
    // shared/ is pure: no node:*, no DOM-only globals, no electron.
    files: ['shared/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'electron', 'fs', 'net', 'tls', 'dns', 'child_process'] }],
    },
  },
  {
    // Raw ipcMain / ipcRenderer live in exactly one file each.
    files: ['electron/**/*.ts'],
    ignores: ['electron/ipc/register.ts', 'electron/preload.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'electron', property: 'ipcMain', message: 'Use electron/ipc/register.ts.' },
        { object: 'electron', property: 'ipcRenderer', message: 'Only electron/preload.ts talks to ipcRenderer.' },
      ],
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'Only electron/ipc/register.ts and electron/preload.ts.' }] }],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.js', 'bench/**/*.mjs', 'test/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', require: 'readonly', __dirname: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
