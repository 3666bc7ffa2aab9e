// What two threads can expect from this machine's memory (not part of any
// benchmark run): how fast one vCPU reads what the other has just written,
// against reading its own writes, and how a bandwidth-bound loop scales from
// one thread to two. The 2-thread results of bench:train depend on both:
// an op reading a tensor that the other thread wrote (a gradient, packed
// panels, the previous op's output) reads it at the cross-vCPU rate.
//
//   g++ -O3 -march=native -pthread bench/vcpu-bandwidth.cc -o /tmp/vcpu-bandwidth
//   /tmp/vcpu-bandwidth [MB …]        (default 1 4 16 64)
//
// Threads are pinned (cpu 0 writes; cpu 0 or 1 reads), and each timing is
// taken inside the thread, so thread start-up is not counted. Medians of 31.
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

void pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

double seconds(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

volatile float gSink;

/** cpu 0 writes n floats, then `reader` sums them: the reader's GB/s. */
double readAfterWrite(float* a, size_t n, int reader, int reps) {
  std::vector<double> t;
  for (int r = 0; r < reps; r++) {
    std::thread([&] {
      pin(0);
      for (size_t i = 0; i < n; i++) a[i] = float(i + r);
    }).join();
    double dt = 0;
    std::thread([&] {
      pin(reader);
      const auto t0 = Clock::now();
      // Sixteen independent sums (n is a multiple of 16): vector adds, not one serial chain.
      float s[16] = {};
      for (size_t i = 0; i < n; i += 16)
        for (int j = 0; j < 16; j++) s[j] += a[i + j];
      gSink = s[0] + s[15];
      dt = seconds(t0);
    }).join();
    t.push_back(dt);
  }
  return double(n) * 4 / median(t) / 1e9;
}

/** c = a·s + b over n floats on `threads` pinned threads (halves): GB/s moved (3 arrays). */
double triad(float* a, float* b, float* c, size_t n, int threads, int reps) {
  std::vector<double> t;
  for (int r = 0; r < reps; r++) {
    std::atomic<int> ready{0};
    std::vector<double> dt(threads);
    std::vector<std::thread> ts;
    for (int k = 0; k < threads; k++)
      ts.emplace_back([&, k] {
        pin(k);
        ready.fetch_add(1);
        while (ready.load() < threads) {
        }
        const size_t lo = n * k / threads, hi = n * (k + 1) / threads;
        const auto t0 = Clock::now();
        for (size_t i = lo; i < hi; i++) c[i] = a[i] * 1.0001f + b[i];
        dt[k] = seconds(t0);
      });
    for (auto& th : ts) th.join();
    t.push_back(*std::max_element(dt.begin(), dt.end()));
  }
  return 3.0 * double(n) * 4 / median(t) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<size_t> sizes;
  for (int i = 1; i < argc; i++) sizes.push_back(size_t(atoi(argv[i])));
  if (sizes.empty()) sizes = {1, 4, 16, 64};
  const int reps = 31;
  printf(
      "| MB | read own writes | read the other vCPU's writes | triad 1 thread | "
      "triad 2 threads |\n");
  printf("| ---: | ---: | ---: | ---: | ---: |\n");
  for (const size_t mb : sizes) {
    const size_t n = (mb << 20) / 4;
    auto* a = static_cast<float*>(aligned_alloc(64, n * 4));
    auto* b = static_cast<float*>(aligned_alloc(64, n * 4));
    auto* c = static_cast<float*>(aligned_alloc(64, n * 4));
    for (size_t i = 0; i < n; i++) a[i] = b[i] = c[i] = 1;
    const double own = readAfterWrite(a, n, 0, reps), other = readAfterWrite(a, n, 1, reps);
    const double t1 = triad(a, b, c, n / 3, 1, reps), t2 = triad(a, b, c, n / 3, 2, reps);
    printf("| %zu | %.1f GB/s | %.1f GB/s | %.1f GB/s | %.1f GB/s |\n", mb, own, other, t1, t2);
    free(a);
    free(b);
    free(c);
  }
}
