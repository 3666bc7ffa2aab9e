/** Every TypeScript example in the README runs against the source tree. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('README examples', () => {
  it('has examples', () => expect(blocks.length).toBeGreaterThanOrEqual(3));
  const dir = mkdtempSync(join(ROOT, 'node_modules', '.readme-'));
  blocks.forEach((code, i) => {
    it(`example ${i + 1} runs`, () => {
      const file = join(dir, `example-${i + 1}.ts`);
      writeFileSync(
        file,
        code.replaceAll("from 'nnkit'", `from '${join(ROOT, 'src', 'index.ts')}'`),
      );
      const out = execFileSync(process.execPath, ['--import', 'tsx', file], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(typeof out).toBe('string');
    });
  });
});
