/**
 * `npm run lint:as [-- --write]`: the hand-written AssemblyScript sources
 * (`wasm/assembly/*.ts`, not the generated kernels) are formatted by Prettier
 * and linted by ESLint with the project's configuration, like the rest.
 *
 * AssemblyScript's decorators on functions and constants (`@inline`,
 * `@global`, …) are not TypeScript syntax, so neither tool can parse the files
 * as they are. Each decorator is masked as a same-line block comment
 * (`@inline function f` → `/*@inline*\/ function f`) before the tools see the
 * text and unmasked after, which keeps Prettier's line breaking unchanged.
 * Rules that need AssemblyScript's types or globals (`f32x4`, `usize`, `load`)
 * are TypeScript's own checks, which ESLint does not run.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'wasm', 'assembly');
const write = process.argv.includes('--write');

/** AssemblyScript's decorators (the ones its compiler knows). */
const DECORATOR =
  /^(\s*)@(inline|global|lazy|unmanaged|final|external|operator|builtin|unsafe)(?=\s)/gm;
const MASKED = /\/\*@(\w+)\*\/(?=\s)/g;

const mask = (text: string): string => text.replace(DECORATOR, '$1/*@$2*/');
const unmask = (text: string): string => text.replace(MASKED, '@$1');

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.includes('.generated.'))
  .map((f) => join(dir, f));

const eslint = new ESLint({
  cwd: root,
  ignore: false,
  // AssemblyScript's own convention for its decorators: `// @ts-ignore: decorator`.
  overrideConfig: {
    rules: {
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': 'allow-with-description' }],
    },
  },
});
let problems = 0;
for (const file of files) {
  const name = relative(root, file);
  const source = readFileSync(file, 'utf8');
  const masked = mask(source);
  const options = { ...(await prettier.resolveConfig(file)), filepath: file };
  const formatted = await prettier.format(masked, options);
  if (formatted !== masked) {
    if (write) {
      writeFileSync(file, unmask(formatted));
      console.log(`lint:as: formatted ${name}`);
    } else {
      console.error(`lint:as: ${name} is not formatted (npm run lint:as -- --write)`);
      problems++;
    }
  }
  const [result] = await eslint.lintText(formatted, { filePath: file });
  for (const m of result.messages) {
    console.error(`${name}:${m.line}:${m.column} ${m.message} (${m.ruleId ?? 'parse'})`);
    problems++;
  }
}
if (problems > 0) {
  console.error(`lint:as: ${problems} problem(s)`);
  process.exit(1);
}
console.log(`lint:as: ${files.length} files formatted and lint-free`);
