/**
 * `npm run build`: a clean `dist/` from src/ — TypeScript compiled without
 * source maps (the package ships no sources for them to point at), the
 * committed WebAssembly modules copied beside the loaders that reference
 * them (`new URL('./kernels.wasm', import.meta.url)`), and the CLI's
 * third-party code (Observable Plot, linkedom) bundled into one minified
 * `dist/cli/vendor.js` with its licences beside it, so that the package's
 * only runtime dependency is `node-gyp-build`. The build fails if anything
 * reachable from the package's entry points imports another package.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
/** What the published code may import: Node's built-ins and the native addon's loader. */
const RUNTIME_DEPENDENCIES = ['node-gyp-build'];

rmSync(DIST, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
  { cwd: ROOT, stdio: 'inherit' },
);
/**
 * The JavaScript in dist/ without the TSDoc that tsc copies from the sources: the declarations
 * beside it keep every comment (what editors show), so the JavaScript's copy only weighs on the
 * package (about 230 kB of 1.8 MB). esbuild's printer (no minification, no lowering: the code
 * stays as tsc wrote it) drops comments but keeps the annotations bundlers read, `@__PURE__`,
 * `@vite-ignore` and `webpackIgnore`, which tsc's `removeComments` would drop too.
 */
function stripComments(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) stripComments(path);
    else if (entry.name.endsWith('.js')) {
      const code = readFileSync(path, 'utf8');
      const out = esbuild.transformSync(code, { loader: 'js', target: 'esnext', charset: 'utf8' });
      // esbuild adds `@__PURE__` to constructors it knows (`new Map()`); it must drop none.
      for (const mark of ['@__PURE__', '@vite-ignore', 'webpackIgnore']) {
        if (out.code.split(mark).length < code.split(mark).length) {
          throw new Error(`build: stripping comments from ${relative(ROOT, path)} lost a ${mark}`);
        }
      }
      writeFileSync(path, out.code);
    }
  }
}
stripComments(DIST);

const wasmDir = join('kernels', 'wasm');
for (const file of readdirSync(join(ROOT, 'src', wasmDir))) {
  if (file.endsWith('.wasm')) {
    copyFileSync(join(ROOT, 'src', wasmDir, file), join(DIST, wasmDir, file));
  }
}

/**
 * Trims the bundle to what linkedom uses of its dependencies (this halves it, 706 → 411 kB):
 * linkedom takes only `Parser` from htmlparser2's index, whose other re-exports (DOM utilities
 * and a serializer with its entity tables) esbuild cannot drop through linkedom's namespace
 * import; and cssomnom parses CSS only for `HTMLStyleElement.sheet`, which Plot never reads —
 * the stub throws if anything ever does.
 */
const trim: esbuild.Plugin = {
  name: 'trim-linkedom',
  setup(build) {
    build.onResolve({ filter: /^htmlparser2$/ }, () => ({
      path: join(dirname(fileURLToPath(import.meta.resolve('htmlparser2'))), 'Parser.js'),
    }));
    build.onResolve({ filter: /^cssomnom\/parse$/ }, () => ({
      path: 'cssomnom',
      namespace: 'stub',
    }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents:
        'export function parse() { throw new Error("nnkit CLI: CSS parsing (HTMLStyleElement.sheet) is not bundled"); }',
    }));
  },
};

const vendor = await esbuild.build({
  entryPoints: [join(ROOT, 'src', 'cli', 'vendor.ts')],
  absWorkingDir: ROOT,
  outfile: join(DIST, 'cli', 'vendor.js'),
  bundle: true,
  minify: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none', // the licences go to vendor.LICENSES.txt in full
  metafile: true,
  plugins: [trim],
  logLevel: 'warning',
});
writeFileSync(join(DIST, 'cli', 'vendor.LICENSES.txt'), licenses(vendor.metafile));

/** The licence of every package with code in the bundle, as their licences require. */
function licenses(meta: esbuild.Metafile): string {
  const dirs = new Set<string>();
  const inputs = Object.values(meta.outputs).flatMap((o) => Object.entries(o.inputs));
  // Modules that tree shaking emptied (most of d3 that Plot does not draw with) are not there.
  for (const [input] of inputs.filter(([, i]) => i.bytesInOutput > 0)) {
    const m = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
    if (m) dirs.add(join(ROOT, m[1]));
  }
  // Packages under the same licence text (d3's modules, say) are listed once, together.
  const byText = new Map<string, string[]>();
  for (const dir of [...dirs].sort()) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license?: string;
    };
    const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    if (!file) throw new Error(`build: ${pkg.name} has no licence file to ship with the bundle`);
    const text = readFileSync(join(dir, file), 'utf8').trim();
    byText.set(text, [...(byText.get(text) ?? []), `${pkg.name}@${pkg.version} (${pkg.license})`]);
  }
  const parts = [...byText].map(([text, names]) => `${names.join('\n')}\n\n${text}`);
  return `Third-party code in vendor.js, bundled by nnkit's build (scripts/build.ts):\n\n${parts.join(
    `\n\n${'-'.repeat(72)}\n\n`,
  )}\n`;
}

/**
 * Every package import reachable from the package's entry points (found by letting esbuild
 * follow them, with every package left external), so that a CLI module importing Plot directly,
 * past vendor.js, fails the build instead of failing users without dev dependencies.
 */
const entries = ['index.js', 'browser.js', 'cli/nnkit.js', 'cli/main.js'].map((f) => join(DIST, f));
const graph = await esbuild.build({
  entryPoints: entries,
  bundle: true,
  write: false,
  outdir: join(ROOT, 'node_modules', '.nnkit-build-check'),
  platform: 'node',
  format: 'esm',
  packages: 'external',
  metafile: true,
  logLevel: 'silent',
});
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const imported = new Set<string>();
for (const out of Object.values(graph.metafile.outputs)) {
  for (const i of out.imports) if (i.external && !builtins.has(i.path)) imported.add(i.path);
}
const stray = [...imported].filter((p) => !RUNTIME_DEPENDENCIES.includes(p));
if (stray.length) {
  throw new Error(
    `build: the published code imports ${stray.join(', ')}; only ${RUNTIME_DEPENDENCIES.join(', ')} ` +
      'is installed for users (bundle third-party code for the CLI through src/cli/vendor.ts)',
  );
}
const size = (f: string): string => `${(readFileSync(f).length / 1000).toFixed(0)} kB`;
console.log(
  `build: dist/ written; ${relative(ROOT, join(DIST, 'cli', 'vendor.js'))} ${size(join(DIST, 'cli', 'vendor.js'))} ` +
    `(Plot and linkedom, minified)`,
);
