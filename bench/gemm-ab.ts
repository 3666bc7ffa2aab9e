/**
 * A/B of two versions of the native GEMM (native/gemm.h), AVX-512 build, one
 * thread, without Node: the version at a git revision and the working tree's
 * are compiled into one C++ binary (each in its own namespace, with the
 * defines of kernels_avx512.cc) and called alternately, so that a shared
 * machine's load hits both alike. Whole training steps compared across two
 * checkouts drift by ±2–10 % on this kind of VM; this separates 3–5 %.
 * Prints the median of 61 calls of each and whether the outputs are
 * bit-identical. `cold` flushes 32 MB of cache before every call.
 *
 *   npx tsx bench/gemm-ab.ts [rev=HEAD] [m×k×n[:tA][:tB][:cold] …]
 *   npx tsx bench/gemm-ab.ts HEAD~1 128x784x512:tB:cold 50000x256x64:tA:cold
 *
 * Needs g++ and a CPU with AVX-512F. Not part of `npm run bench`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const [rev = 'HEAD', ...shapeArgs] = process.argv.slice(2);
/** bench:train's products (m×k×n, A or B stored transposed as the step reads them). */
const DEFAULT_SHAPES = [
  '128x784x512:tB:cold', // b's first layer forward, x·Wᵀ
  '128x512x512:tB', // its second layer forward
  '512x128x784:tA:cold', // its first layer's weight gradient, gᵀ·x
  '256x64x50000:tB:cold', // d-full's forward
  '50000x256x64:tA:cold', // d-full's weight gradient
  '1002x256x64:tA', // d-adaptive's head weight gradient
];

const dir = mkdtempSync(join(tmpdir(), 'nnkit-gemm-ab-'));
writeFileSync(
  join(dir, 'gemm_old.h'),
  execFileSync('git', ['show', `${rev}:native/gemm.h`], { cwd: root }),
);
const source = `
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
#include "table.h"
#pragma GCC target("avx512f,avx2,fma")
#define NNKIT_ISA_NAME "avx512"
#define NNKIT_HAS_FMA 1
#define NNKIT_VECTOR_BYTES 64
#define NNKIT_GEMM_MR 12
namespace oldv {
#include "simd.h"
#include "${join(dir, 'gemm_old.h')}"
}
namespace newv {
#include "simd.h"
#include "gemm.h"
}
// Revisions before the row sums (GemmFn's aSums) take one argument fewer.
template <class R, class... P>
static void call(R (*f)(P...), size_t m, size_t k, size_t n, const float* A, const float* B,
                 float* C, float* work, bool tA, bool tB, const float* bias) {
  if constexpr (sizeof...(P) == 15)
    f(0, m, 0, n, m, k, n, A, B, C, work, tA, tB, bias, nullptr);
  else
    f(0, m, 0, n, m, k, n, A, B, C, work, tA, tB, bias);
}
static double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
int main(int argc, char** argv) {
  const size_t m = atol(argv[1]), k = atol(argv[2]), n = atol(argv[3]);
  const bool tA = atoi(argv[4]), tB = atoi(argv[5]), cold = atoi(argv[6]);
  std::vector<float> A(m * k), B(k * n), bias(n), C[2] = {std::vector<float>(m * n), std::vector<float>(m * n)};
  srand(1);
  for (auto& x : A) x = (rand() % 1000) * 1e-3f - 0.5f;
  for (auto& x : B) x = (rand() % 1000) * 1e-3f - 0.5f;
  for (auto& x : bias) x = (rand() % 1000) * 1e-3f;
  float* work = static_cast<float*>(aligned_alloc(64, nnkit::kGemmWorkBytes));
  std::vector<float> flush(8 << 20);
  std::vector<double> t[2];
  for (int rep = 0; rep < 61; rep++)
    for (int i = 0; i < 2; i++) {
      const int v = rep % 2 ? 1 - i : i;
      if (cold) for (size_t j = 0; j < flush.size(); j += 16) flush[j] += 1;
      const double t0 = now();
      const float* b = tA ? nullptr : bias.data();
      if (v == 0) call(oldv::gemm<float>, m, k, n, A.data(), B.data(), C[v].data(), work, tA, tB, b);
      else call(newv::gemm<float>, m, k, n, A.data(), B.data(), C[v].data(), work, tA, tB, b);
      t[v].push_back(now() - t0);
    }
  for (auto& ts : t) std::sort(ts.begin(), ts.end());
  printf("%zux%zux%zu%s%s%s: old %.0f µs, new %.0f µs, new/old %.3f, %s\\n", m, k, n, tA ? " tA" : "",
         tB ? " tB" : "", cold ? " cold" : " warm", t[0][30] * 1e6, t[1][30] * 1e6, t[1][30] / t[0][30],
         memcmp(C[0].data(), C[1].data(), m * n * 4) == 0 ? "bit-identical" : "DIFFERENT");
}
`;
writeFileSync(join(dir, 'ab.cc'), source);
const binary = join(dir, 'ab');
execFileSync(
  'g++',
  [
    '-O3',
    '-std=gnu++17',
    '-fno-math-errno',
    '-Wno-psabi',
    `-I${join(root, 'native')}`,
    join(dir, 'ab.cc'),
    '-o',
    binary,
  ],
  { stdio: 'inherit' },
);
console.log(`native/gemm.h: ${rev} (old) against the working tree (new)`);
for (const spec of shapeArgs.length > 0 ? shapeArgs : DEFAULT_SHAPES) {
  const [dims, ...flags] = spec.split(':');
  const [m, k, n] = dims.split(/[x×]/).map(Number);
  if (![m, k, n].every((d) => Number.isInteger(d) && d > 0)) throw new Error(`bad shape ${spec}`);
  const flag = (f: string): string => (flags.includes(f) ? '1' : '0');
  const args = [m, k, n].map(String).concat(flag('tA'), flag('tB'), flag('cold'));
  process.stdout.write(execFileSync(binary, args));
}
