/**
 * `npm run lint:cpp`: the addon's hand-written C++ is formatted by
 * clang-format (.clang-format; Debian's `clang-format` package) and compiles
 * warning-free with -Wall -Wextra. Generated headers (`*.generated.h`) are
 * checked by the compile, not by the formatter.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const native = join(root, 'native');
const handWritten = readdirSync(native)
  .filter((f) => /\.(cc|h)$/.test(f) && !f.includes('.generated.'))
  .map((f) => join(native, f));

execFileSync('clang-format', ['--dry-run', '--Werror', ...handWritten], { stdio: 'inherit' });

// Node's headers sit next to the node binary (/usr/include/node for Debian's).
const include = join(dirname(process.execPath), '..', 'include', 'node');
if (!existsSync(join(include, 'node_api.h'))) {
  throw new Error(`lint:cpp: Node's headers are not at ${include}`);
}
for (const unit of handWritten.filter((f) => f.endsWith('.cc'))) {
  execFileSync(
    'g++',
    [
      '-std=gnu++17',
      '-fsyntax-only',
      '-Wall',
      '-Wextra',
      '-Werror',
      '-Wno-psabi',
      // As binding.gyp builds them: `omp simd` loops (native/layer_norm.h) without OpenMP.
      '-fopenmp-simd',
      '-DNAPI_VERSION=8',
      `-I${include}`,
      unit,
    ],
    { stdio: 'inherit' },
  );
}
console.log(`lint:cpp: ${handWritten.length} files formatted, every unit warning-free`);
