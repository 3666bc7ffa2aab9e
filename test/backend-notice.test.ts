/**
 * The notice printed when the native addon cannot load in Node: one warning
 * (code NNKIT_NO_NATIVE) naming the backend that runs instead and how to get
 * the addon, and none with NNKIT_SILENT=1, with NNKIT_NATIVE=0, or when the
 * program picks its backend right after importing nnkit.
 *
 * node-gyp-build looks for the binary under `$NNKIT_PREBUILD` when that is
 * set, so an empty folder plays a platform without a prebuilt binary, and a
 * folder with a corrupt `build/Release/nnkit.node` one whose binary fails to
 * load.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '..');
const ENTRY = pathToFileURL(join(ROOT, 'src', 'index.ts')).href;

function run(
  code: string,
  env: Record<string, string>,
): { out: string; err: string; warnings: string[] } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NNKIT_SILENT: '', NNKIT_NATIVE: '', ...env },
  });
  expect(r.status, r.stderr).toBe(0);
  return {
    out: r.stdout.trim(),
    err: r.stderr,
    warnings: r.stderr.split('\n').filter((l) => l.includes('NNKIT_NO_NATIVE')),
  };
}

const SHOW = `const nk = await import(${JSON.stringify(ENTRY)});
console.log(nk.getBackend());
nk.F.gelu(nk.tensor([1, 2]));
nk.F.gelu(nk.tensor([3]));`;

describe('backend notice', () => {
  const empty = mkdtempSync(join(tmpdir(), 'nnkit-noaddon-'));

  it('prints one warning when there is no binary for the platform', () => {
    const r = run(SHOW, { NNKIT_PREBUILD: empty });
    expect(r.out).toBe('wasm');
    expect(r.warnings).toHaveLength(1);
    const w = r.warnings[0];
    expect(w).toContain(`no native addon for ${process.platform}-${process.arch}`);
    expect(w).toContain('so it runs on WebAssembly');
    expect(w).toContain('npm rebuild nnkit');
    expect(w).toContain('NNKIT_SILENT=1');
  });

  it('says so when the binary is there but does not load', () => {
    const broken = mkdtempSync(join(tmpdir(), 'nnkit-badaddon-'));
    mkdirSync(join(broken, 'build', 'Release'), { recursive: true });
    writeFileSync(join(broken, 'build', 'Release', 'nnkit.node'), 'not a shared object');
    const r = run(SHOW, { NNKIT_PREBUILD: broken });
    expect(r.out).toBe('wasm');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/the native addon failed to load \(.*nnkit\.node/);
  });

  it('names plain JavaScript when WebAssembly is unavailable too', () => {
    // As where the engine cannot compile the SIMD module (tsx itself needs WebAssembly, so it stays).
    const noSimd = "WebAssembly.Module = function () { throw new Error('no SIMD'); };";
    const r = run(`${noSimd}\n${SHOW}`, { NNKIT_PREBUILD: empty });
    expect(r.out).toBe('js');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain('so it runs on plain JavaScript');
  });

  it('is silent with NNKIT_SILENT=1, with NNKIT_NATIVE=0, and after an explicit setBackend', () => {
    expect(run(SHOW, { NNKIT_PREBUILD: empty, NNKIT_SILENT: '1' }).err).toBe('');
    expect(run(SHOW, { NNKIT_NATIVE: '0' }).err).toBe('');
    const chosen = run(
      `const nk = await import(${JSON.stringify(ENTRY)});
nk.setBackend('wasm');
console.log(nk.getBackend());`,
      { NNKIT_PREBUILD: empty },
    );
    expect(chosen.out).toBe('wasm');
    expect(chosen.err).toBe('');
  });

  it('is not printed when the addon loads', () => {
    const r = run(SHOW, {});
    expect(r.out).toBe('native');
    expect(r.err).toBe('');
  });
});
