// ESLint 10 reads only flat config; .eslintrc.json stays the rule source (the design card names it).
import { FlatCompat } from '@eslint/eslintrc';
import js from '@eslint/js';
import { readFileSync } from 'node:fs';

const compat = new FlatCompat({ baseDirectory: import.meta.dirname, recommendedConfig: js.configs.recommended });
const eslintrc = JSON.parse(readFileSync(new URL('./.eslintrc.json', import.meta.url), 'utf8'));

export default compat.config(eslintrc);
