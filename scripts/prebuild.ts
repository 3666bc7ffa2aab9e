/**
 * Makes the prebuilt native addon that the package ships, in prebuildify's
 * layout: `prebuilds/<platform>-<arch>/nnkit.<libc>.node` (a Node-API
 * binary, so any ABI; node-gyp-build picks it at run time). Run by
 * `prepack`, so `npm pack` and `npm publish` ship it; `postpack` removes it.
 *
 * If `build/Release/nnkit.node` is newer than every native source and
 * binding.gyp (as right after `npm ci` in CI), that binary — the one the test
 * suite just ran — is stripped and copied under prebuildify's name instead of
 * compiling the same sources again (about three CPU-minutes). Otherwise
 * prebuildify builds it (`--napi --strip --tag-libc`, node-gyp with both cores).
 *
 * On Linux it prints the newest glibc symbol version the binary needs
 * (`objdump -T`), i.e. the oldest glibc it loads on.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const t0 = performance.now();
const tuple = `${process.platform}-${process.arch}`;
const out = join(ROOT, 'prebuilds', tuple);
const built = join(ROOT, 'build', 'Release', 'nnkit.node');

/** node-gyp-build's libc tag for this machine (prebuildify's `--tag-libc`). */
const libc = existsSync('/etc/alpine-release') ? 'musl' : 'glibc';

function fresh(): boolean {
  if (!existsSync(built)) return false;
  const inputs = [
    join(ROOT, 'binding.gyp'),
    ...readdirSync(join(ROOT, 'native')).map((f) => join(ROOT, 'native', f)),
  ];
  const t = statSync(built).mtimeMs;
  return inputs.every((f) => statSync(f).mtimeMs <= t);
}

rmSync(join(ROOT, 'prebuilds'), { recursive: true, force: true });
let how: string;
if (process.platform === 'linux' && fresh()) {
  mkdirSync(out, { recursive: true });
  const dest = join(out, `nnkit.${libc}.node`);
  copyFileSync(built, dest);
  execFileSync('strip', ['--strip-all', dest]);
  how = 'build/Release/nnkit.node (fresh), stripped';
} else {
  const bin = join(ROOT, 'node_modules', 'prebuildify', 'bin.js');
  execFileSync(
    process.execPath,
    [bin, '--napi', '--strip', '--tag-libc', '--target', process.versions.node],
    // Both cores for node-gyp's make: the three translation units build in parallel.
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, JOBS: process.env.JOBS ?? 'max' } },
  );
  how = 'prebuildify';
}

for (const file of readdirSync(out)) {
  const path = join(out, file);
  let glibc = '';
  if (process.platform === 'linux') {
    try {
      const syms = execFileSync('objdump', ['-T', path], { encoding: 'utf8' });
      const versions = [...syms.matchAll(/GLIBC_([0-9.]+)/g)].map((m) => m[1]);
      versions.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
      if (versions.length) glibc = `, needs glibc ≥ ${versions[versions.length - 1]}`;
      const cxx = [...syms.matchAll(/GLIBCXX_([0-9.]+)/g)].map((m) => m[1]);
      if (cxx.length) glibc += `, and libstdc++ symbols (GLIBCXX)`;
    } catch {
      // no objdump: the size is still worth printing
    }
  }
  const kb = (statSync(path).size / 1024).toFixed(0);
  const s = ((performance.now() - t0) / 1000).toFixed(0);
  console.log(`prebuild: prebuilds/${tuple}/${file} (${kb} KB${glibc}) from ${how} in ${s} s`);
}
