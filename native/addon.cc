// nnkit's Node addon: N-API bindings for the native kernels, runtime ISA
// dispatch, and a small persistent thread pool.
//
// Every kernel writes into typed arrays allocated by JavaScript (V8-owned
// memory), so the addon never creates external buffers or finalizers. The
// kernels run synchronously on the calling thread, helped by the pool's
// workers for large tensors; the arrays cannot move or be freed meanwhile.
#include <node_api.h>

#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
#if defined(__linux__)
#include <sched.h>
#include <sys/mman.h>
#endif
#include <cstdlib>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <type_traits>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include "strided_copy.h"
#include "windows.h"
#include "box_sums.h"
#include "extremum.h"
#include "index_select.h"
#include "table.h"
// The optimizer steps (optim_step.h, optim_bindings.generated.h).
#include "optim_table.generated.h"

namespace {

const nnkit::KernelTable* gTable = nullptr;

// ---- thread pool ------------------------------------------------------------
//
// `threads` counts the calling thread: threads = 1 means no workers (the
// default, like torch.set_num_threads(1)). Work is split into `parts`
// contiguous chunks, and each of the job's participants (the caller, then
// the workers) owns a contiguous range of them: with as many parts as
// threads, part 0 is the caller's and part k worker k's, so that a tensor
// split the same way op after op stays in the same core's cache. A
// participant that has run its own parts takes the rest of another's, from
// that range's next unclaimed part on: a worker that is still waking up, or
// that the machine has descheduled, no longer holds the caller back. (On
// the 2-vCPU development VM a 65,536-element ReLU backward inside
// bench:train b took 312 µs with two threads against 52 with one: the
// caller waited for its worker at every op.) Kernels split into more parts
// than threads where results do not depend on the split, so that the
// remainder of a late participant is shared too.
//
// Between jobs a worker spins for kSpinMicros, then sleeps on a condition
// variable: the ops of a training step follow each other within
// microseconds, and a wake-up through the condition variable took tens of
// microseconds on the development VM. The spin is 1 ms: with 100 µs the
// worker still fell asleep about twice per step of bench:train b, a and e
// (/proc voluntary context switches), mostly while the caller finished its
// own part of a job, ran the JavaScript between ops or a young-generation
// collection (0.4–0.6 ms), and each of those jobs then waited for it to wake.
// Steps alternating in one process, 2 threads, 1 ms against 100 µs: b 0.97,
// e 0.78, d-adaptive 0.90, a 0.87, c 0.99 of the time. The price: after its
// last job each worker keeps its core busy for up to 1 ms before it sleeps
// (libgomp, under PyTorch's CPU kernels, spins for 300,000 rounds by
// default, GOMP_SPINCOUNT). With more threads than the process may run on
// at once, a spinning worker holds a core that the caller or another
// worker needs: 4 threads on the 2-vCPU VM made b and a 1.9× slower with
// 1 ms spins than with 100 µs. Then workers do not spin at all (libgomp
// also drops to 100 rounds there). OMP_WAIT_POLICY, which PyTorch's OpenMP
// threads obey, is read at each setNumThreads: PASSIVE makes the workers
// sleep right away, ACTIVE lets them spin for up to 100 ms.
class Pool {
 public:
  typedef void (*PartFn)(void* ctx, int part, int parts);
  static constexpr int kMaxThreads = 256;

  ~Pool() { resize(1); }

  int threads() const { return int(workers_.size()) + 1; }

  /** How long a worker spins between jobs before it sleeps, in microseconds. */
  int spinMicros() const { return spinMicros_; }

  void resize(int threads) {
    std::lock_guard<std::mutex> busy(busy_);
    {
      std::lock_guard<std::mutex> lk(m_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
    stop_ = false;
    // New workers must wait for the next job, not rerun the last one (whose
    // context is gone): they start having seen the current generation.
    const uint64_t current = generation_.load();
    if (threads > kMaxThreads) threads = kMaxThreads;
    spinMicros_ = threads <= usableCpus() ? waitPolicySpinMicros() : 0;
    for (int k = 1; k < threads; k++)
      workers_.emplace_back([this, k, current] { loop(k, current); });
  }

  /** Runs fn(ctx, p, parts) for p in [0, parts), each once; returns when all are done. */
  void run(int parts, PartFn fn, void* ctx) {
    // Another JS thread (worker_threads) may be using the pool: run serially.
    std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
    if (parts <= 1 || workers_.empty() || !busy.owns_lock()) {
      for (int p = 0; p < parts; p++) fn(ctx, p, parts);
      return;
    }
    const int members = parts < threads() ? parts : threads();
    {
      std::unique_lock<std::mutex> lk(m_);
      // A worker that joined the previous job may still be looking for a
      // part of it (it finds none: all were run); it must leave before the
      // counters are reset, or it would run this job's parts with that
      // job's function. Workers join only under m_, so none can join the
      // old job once this holds m_ with inside_ at zero.
      for (int spins = 0; inside_.load(std::memory_order_acquire) != 0; spins++) {
        lk.unlock();
        if (spins > 2000) std::this_thread::yield();
        lk.lock();
      }
      fn_ = fn;
      ctx_ = ctx;
      parts_ = parts;
      members_ = members;
      for (int k = 0; k < members; k++) {
        slots_[k].next.store(k * parts / members, std::memory_order_relaxed);
        slots_[k].end = (k + 1) * parts / members;
      }
      done_.store(0, std::memory_order_relaxed);
      generation_++;
    }
    cv_.notify_all();
    work(0, fn, ctx, parts, members);
    // The parts others took finish within microseconds, and a worker leaves
    // the job right after its last one: spin, then yield. (Waiting here for
    // the workers to leave spares the next job's start a wait that could
    // end in yielding the core.)
    for (int spins = 0; done_.load(std::memory_order_acquire) != parts ||
                        inside_.load(std::memory_order_acquire) != 0;
         spins++) {
      if (spins > 2000) std::this_thread::yield();
    }
  }

 private:
  /** Participant k's share of a job: its own range, then whatever is left of the others'. */
  void work(int k, PartFn fn, void* ctx, int parts, int members) {
    for (int i = 0; i < members; i++) {
      Slot& s = slots_[(k + i) % members];
      for (int p; (p = s.next.fetch_add(1, std::memory_order_relaxed)) < s.end;) {
        fn(ctx, p, parts);
        done_.fetch_add(1, std::memory_order_release);
      }
    }
  }

  /** Waits up to spinMicros_ for a job after generation `seen`, without sleeping. */
  void spin(uint64_t seen) const {
    if (spinMicros_ == 0) return;
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(spinMicros_);
    for (unsigned i = 1; generation_.load(std::memory_order_acquire) == seen; i++) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
      if (i % 64 == 0 &&
          (stop_.load(std::memory_order_relaxed) || std::chrono::steady_clock::now() > until))
        return;
    }
  }

  static constexpr int kSpinMicros = 1000;

  /** The spin that OMP_WAIT_POLICY asks for: 0 (PASSIVE), 100 ms (ACTIVE) or kSpinMicros. */
  static int waitPolicySpinMicros() {
    const char* p = std::getenv("OMP_WAIT_POLICY");
    // Case-insensitive, as OpenMP reads it (strcasecmp is not in MSVC's C library).
    const auto is = [p](const char* word) {
      if (!p) return false;
      size_t i = 0;
      for (; word[i]; i++)
        if (p[i] == 0 || (p[i] | 0x20) != word[i]) return false;
      return p[i] == 0;
    };
    if (is("passive")) return 0;
    if (is("active")) return 100000;
    return kSpinMicros;
  }

  /** The CPUs this process may run on (its affinity mask where Linux tells). */
  static int usableCpus() {
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
#endif
    const unsigned n = std::thread::hardware_concurrency();
    return n > 0 ? int(n) : 1;
  }

  void loop(int k, uint64_t seen) {
    for (;;) {
      PartFn fn;
      void* ctx;
      int parts, members;
      {
        spin(seen);
        std::unique_lock<std::mutex> lk(m_);
        cv_.wait(lk, [&] { return stop_ || generation_.load() != seen; });
        if (stop_) return;
        seen = generation_.load();
        fn = fn_;
        ctx = ctx_;
        parts = parts_;
        members = members_;
        if (k >= members) continue;
        inside_.fetch_add(1, std::memory_order_relaxed);
      }
      work(k, fn, ctx, parts, members);
      inside_.fetch_sub(1, std::memory_order_release);
    }
  }

  /** A participant's range of parts: the next unclaimed one and the end. */
  struct alignas(64) Slot {
    std::atomic<int> next{0};
    int end = 0;
  };

  std::vector<std::thread> workers_;
  // Set by resize before it starts the workers that read it.
  int spinMicros_ = kSpinMicros;
  std::mutex busy_;
  std::mutex m_;
  std::condition_variable cv_;
  // Written under m_; read without it while spinning (resize must not wait out a spin).
  std::atomic<bool> stop_{false};
  // Written under m_; read without it while spinning.
  std::atomic<uint64_t> generation_{0};
  PartFn fn_ = nullptr;
  void* ctx_ = nullptr;
  int parts_ = 0;
  int members_ = 0;
  Slot slots_[kMaxThreads];
  // Parts run so far in the current job, and workers inside one.
  std::atomic<int> done_{0};
  std::atomic<int> inside_{0};
};

Pool gPool;

// Tensors below this many elements run on one thread: waking workers costs more.
constexpr size_t kParallelMin = 1 << 16;

/** Splits [0, n) into cache-line-aligned chunks, one per part. */
inline void chunk(size_t n, int part, int parts, size_t align, size_t* lo, size_t* hi) {
  size_t per = (n + parts - 1) / parts;
  per = (per + align - 1) / align * align;
  *lo = std::min(n, per * part);
  *hi = std::min(n, *lo + per);
}

inline int partsFor(size_t work, size_t n) {
  if (work < kParallelMin || gPool.threads() <= 1) return 1;
  return int(std::min<size_t>(gPool.threads(), n));
}

/**
 * Parts for an elementwise kernel over n elements of `bytes` bytes, whose
 * results do not depend on the split: four per thread, so that the rest of
 * a late thread's range is shared (see Pool). A thread's share that is
 * streamed past the caches (kStreamMinBytes or more) stays one part, so
 * that it still is.
 */
inline int partsForElementwise(size_t n, size_t bytes) {
  const int parts = partsFor(n, n);
  if (parts <= 1 || n * bytes / size_t(parts) >= nnkit::kStreamMinBytes) return parts;
  return int(std::min<size_t>(size_t(parts) * 4, 256));
}

// ---- argument parsing -------------------------------------------------------------
//
// bindings.generated.h (from src/kernels/schema.ts) parses every kernel's
// arguments with these helpers and checks them all — typed-array kinds, dtype
// agreement, lengths against the declared expressions (in double: no size_t
// overflow), counts, op indices, class indices — before any kernel runs. A
// violation throws a JavaScript Error (code ERR_NNKIT_KERNEL_ARGS) naming the
// kernel and the argument: a bug in nnkit's TypeScript cannot turn into an
// out-of-bounds access here. A kernel that merely does not handle a dtype
// combination returns false, and JavaScript runs it instead.

bool kernelArgsError(napi_env env, const char* kernel, const char* arg, const char* expected) {
  char msg[256];
  snprintf(msg, sizeof msg, "nnkit native kernel %s: %s must be %s", kernel, arg, expected);
  napi_throw_error(env, "ERR_NNKIT_KERNEL_ARGS", msg);
  return false;
}

bool kernelLengthError(napi_env env, const char* kernel, const char* arg, size_t have, double need,
                       const char* expr) {
  char msg[320];
  snprintf(msg, sizeof msg, "nnkit native kernel %s: %s holds %zu elements, needs %s = %.0f",
           kernel, arg, have, expr, need);
  napi_throw_error(env, "ERR_NNKIT_KERNEL_ARGS", msg);
  return false;
}

inline double nnkitMax(double a, double b) { return a > b ? a : b; }

bool readNumber(napi_env env, const char* k, const char* name, napi_value v, double* out) {
  if (napi_get_value_double(env, v, out) != napi_ok)
    return kernelArgsError(env, k, name, "a number");
  return true;
}

bool readCount(napi_env env, const char* k, const char* name, napi_value v, size_t* out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok || !(d >= 0) || d > 9007199254740992.0 ||
      d != double(uint64_t(d)))
    return kernelArgsError(env, k, name, "a non-negative integer");
  *out = size_t(d);
  return true;
}

bool readInt(napi_env env, const char* k, const char* name, napi_value v, int32_t* out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok || !(d >= -2147483648.0) ||
      !(d <= 2147483647.0) || d != double(int64_t(d)))
    return kernelArgsError(env, k, name, "an int32 integer");
  *out = int32_t(d);
  return true;
}

bool readBool(napi_env env, const char* k, const char* name, napi_value v, bool* out) {
  if (napi_get_value_bool(env, v, out) != napi_ok)
    return kernelArgsError(env, k, name, "a boolean");
  return true;
}

/** A typed array's data, dtype (0 float32, 1 float64, 2 int32; -1 for null) and length. */
bool readArray(napi_env env, const char* k, const char* name, napi_value v, bool nullable,
               void** data, int* dtype, size_t* length) {
  *data = nullptr;
  *dtype = -1;
  *length = 0;
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return kernelArgsError(env, k, name, "a typed array");
  if (t == napi_null || t == napi_undefined) {
    if (nullable) return true;
    return kernelArgsError(env, k, name, "a typed array, not null");
  }
  bool is = false;
  napi_typedarray_type type;
  napi_value ab;
  size_t off;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is ||
      napi_get_typedarray_info(env, v, &type, length, data, &ab, &off) != napi_ok)
    return kernelArgsError(env, k, name, "a typed array");
  *dtype = type == napi_float32_array   ? 0
           : type == napi_float64_array ? 1
           : type == napi_int32_array   ? 2
                                        : -2;
  if (*dtype == -2)
    return kernelArgsError(env, k, name, "a Float32Array, Float64Array or Int32Array");
  return true;
}

/** A table entry's parameters: an array of at most 8 numbers. */
bool readParams(napi_env env, const char* k, const char* name, napi_value v, double* p,
                int* count) {
  uint32_t len = 0;
  bool isArray = false;
  if (napi_is_array(env, v, &isArray) != napi_ok || !isArray ||
      napi_get_array_length(env, v, &len) != napi_ok || len > 8)
    return kernelArgsError(env, k, name, "an array of at most 8 numbers");
  for (uint32_t i = 0; i < len; i++) {
    napi_value e;
    if (napi_get_element(env, v, i, &e) != napi_ok ||
        napi_get_value_double(env, e, &p[i]) != napi_ok)
      return kernelArgsError(env, k, name, "an array of at most 8 numbers");
  }
  for (uint32_t i = len; i < 8; i++) p[i] = 0;
  *count = int(len);
  return true;
}

int opCount(const char* table) { return table[0] == 'u' ? gTable->nunary : gTable->nbinary; }

/** Every class index in [0, max) or equal to `except` (NaN: none): the kernels index with them. */
bool checkIndices(napi_env env, const char* k, const char* name, const int32_t* t, size_t n,
                  double max, double except) {
  for (size_t i = 0; i < n; i++) {
    const double v = t[i];
    if (v == except || (v >= 0 && v < max)) continue;
    char msg[256];
    snprintf(msg, sizeof msg,
             "nnkit native kernel %s: %s[%zu] = %d is out of range for %.0f classes", k, name, i,
             t[i], max);
    napi_throw_error(env, "ERR_NNKIT_KERNEL_ARGS", msg);
    return false;
  }
  return true;
}

// ---- optimizer steps: lists of arrays, the loop table, the split over threads ----
#include "optim_step.h"

#include "bindings.generated.h"

/** The sum of per-thread partial results, in double, as a JS number. */
napi_value sumOfParts(napi_env env, const double* partial, int parts) {
  double total = 0;
  for (int p = 0; p < parts; p++) total += partial[p];
  napi_value r;
  napi_create_double(env, total, &r);
  return r;
}

napi_value boolean(napi_env env, bool b) {
  napi_value r;
  napi_get_boolean(env, b, &r);
  return r;
}

/** A contract error raised after parsing; the binding returns its nullptr. */
napi_value contractError(napi_env env, const char* kernel, const char* arg, const char* expected) {
  kernelArgsError(env, kernel, arg, expected);
  return nullptr;
}

/** A floating dtype (0 float32, 1 float64): the kernels' template argument. */
inline bool isFloat(int dtype) { return dtype == 0 || dtype == 1; }
inline size_t dtypeBytes(int dtype) { return dtype == 1 ? 8 : 4; }

// ---- elementwise table entries ------------------------------------------------------

struct UnaryJob {
  const nnkit::UnaryEntry* e;
  const nnkit::UnaryForwardArgs* fwd;
  const nnkit::UnaryBackwardArgs* bwd;
};

void runUnaryFwdPart(void* ctx, int part, int parts) {
  auto* j = static_cast<UnaryJob*>(ctx);
  const auto& a = *j->fwd;
  size_t lo, hi;
  chunk(a.n, part, parts, 16, &lo, &hi);
  if (lo < hi) j->e->fwd[a.outDtype](lo, hi, a.out, a.x, a.p);
}

void runUnaryBwdPart(void* ctx, int part, int parts) {
  auto* j = static_cast<UnaryJob*>(ctx);
  const auto& a = *j->bwd;
  size_t lo, hi;
  chunk(a.n, part, parts, 16, &lo, &hi);
  if (lo < hi) j->e->bwd[a.dxDtype](lo, hi, a.dx, a.dy, a.x, a.y, a.p);
}

napi_value UnaryForward(napi_env env, napi_callback_info info) {
  nnkit::UnaryForwardArgs a;
  if (!parseUnaryForward(env, info, &a)) return nullptr;
  UnaryJob j{&gTable->unary[a.op], &a, nullptr};
  if (a.pCount < j.e->nparams)
    return contractError(env, "unaryForward", "p", "the entry's parameters");
  gPool.run(partsForElementwise(a.n, dtypeBytes(a.outDtype)), runUnaryFwdPart, &j);
  return boolean(env, true);
}

napi_value UnaryBackward(napi_env env, napi_callback_info info) {
  nnkit::UnaryBackwardArgs a;
  if (!parseUnaryBackward(env, info, &a)) return nullptr;
  UnaryJob j{&gTable->unary[a.op], nullptr, &a};
  const char* K = "unaryBackward";
  if (a.pCount < j.e->nparams) return contractError(env, K, "p", "the entry's parameters");
  if (j.e->needsX && a.xDtype < 0) return contractError(env, K, "x", "the saved input");
  if (j.e->needsY && a.yDtype < 0) return contractError(env, K, "y", "the saved output");
  if (!j.e->hasBackward) return boolean(env, false);
  gPool.run(partsForElementwise(a.n, dtypeBytes(a.dxDtype)), runUnaryBwdPart, &j);
  return boolean(env, true);
}

// ---- fused reductions of binary entries ----------------------------------------

struct BinaryJob {
  const nnkit::BinaryEntry* e;
  const nnkit::BinarySumArgs* sum;
  const nnkit::BinaryBackwardScaledArgs* bwd;
  double partial[256];
};

void runBinaryPart(void* ctx, int part, int parts) {
  auto* j = static_cast<BinaryJob*>(ctx);
  size_t lo, hi;
  j->partial[part] = 0;
  if (j->sum) {
    const auto& a = *j->sum;
    chunk(a.n, part, parts, 16, &lo, &hi);
    if (lo < hi) j->partial[part] = j->e->sum[a.aDtype](lo, hi, a.a, a.b, a.p);
    return;
  }
  const auto& a = *j->bwd;
  chunk(a.n, part, parts, 16, &lo, &hi);
  if (lo >= hi) return;
  if (a.which == 0)
    j->e->bwdA[a.aDtype](lo, hi, a.out, a.scale, a.a, a.b, a.p);
  else
    j->e->bwdB[a.aDtype](lo, hi, a.out, a.scale, a.a, a.b, a.p);
}

napi_value BinarySum(napi_env env, napi_callback_info info) {
  nnkit::BinarySumArgs a;
  if (!parseBinarySum(env, info, &a)) return nullptr;
  BinaryJob j{&gTable->binary[a.op], &a, nullptr, {}};
  if (a.pCount < j.e->nparams)
    return contractError(env, "binarySum", "p", "the entry's parameters");
  if (!isFloat(a.aDtype)) return boolean(env, false);
  const int parts = std::min(partsFor(a.n, a.n), 256);
  gPool.run(parts, runBinaryPart, &j);
  return sumOfParts(env, j.partial, parts);
}

napi_value BinaryBackwardScaled(napi_env env, napi_callback_info info) {
  nnkit::BinaryBackwardScaledArgs a;
  if (!parseBinaryBackwardScaled(env, info, &a)) return nullptr;
  BinaryJob j{&gTable->binary[a.op], nullptr, &a, {}};
  if (a.pCount < j.e->nparams)
    return contractError(env, "binaryBackwardScaled", "p", "the entry's parameters");
  if (!isFloat(a.aDtype) || a.outDtype != a.aDtype) return boolean(env, false);
  gPool.run(partsForElementwise(a.n, dtypeBytes(a.outDtype)), runBinaryPart, &j);
  return boolean(env, true);
}

// ---- broadcast rows of binary entries -----------------------------------------------

struct BinaryRowJob {
  const nnkit::BinaryEntry* e;
  int dtype;
  bool backward, wrtA;
  size_t rows, n, aRowStride, aStride, bRowStride, bStride;
  char* out;
  const char *dy, *a, *b;
  const double* p;
};

/**
 * Part `part` of the rows·n elements: whole rows and the ends of at most two,
 * so short rows (a bias over a batch) split as evenly as long ones.
 */
void runBinaryRowPart(void* ctx, int part, int parts) {
  auto* j = static_cast<BinaryRowJob*>(ctx);
  size_t lo, hi;
  chunk(j->rows * j->n, part, parts, 16, &lo, &hi);
  const size_t w = j->dtype == 0 ? 4 : 8;
  while (lo < hi) {
    const size_t r = lo / j->n, i = lo % j->n;
    const size_t end = i + std::min(hi - lo, j->n - i);
    char* out = j->out + r * j->n * w;
    const char* dy = j->backward ? j->dy + r * j->n * w : nullptr;
    const char* a = j->a + r * j->aRowStride * w;
    const char* b = j->b + r * j->bRowStride * w;
    if (!j->backward)
      j->e->rowFwd[j->dtype](i, end, out, a, j->aStride, b, j->bStride, j->p);
    else if (j->wrtA)
      j->e->rowBwdA[j->dtype](i, end, out, dy, a, j->aStride, b, j->bStride, j->p);
    else
      j->e->rowBwdB[j->dtype](i, end, out, dy, a, j->aStride, b, j->bStride, j->p);
    lo += end - i;
  }
}

/** Element `off` of an array of dtype 0 (float32) or 1 (float64). */
inline const char* at(const void* base, size_t off, int dtype) {
  return static_cast<const char*>(base) + off * (dtype == 0 ? 4 : 8);
}

napi_value BinaryForward(napi_env env, napi_callback_info info) {
  nnkit::BinaryForwardArgs a;
  if (!parseBinaryForward(env, info, &a)) return nullptr;
  const nnkit::BinaryEntry* e = &gTable->binary[a.op];
  if (a.pCount < e->nparams)
    return contractError(env, "binaryForward", "p", "the entry's parameters");
  // One float dtype for all three; mixed dtypes and int32 run in JavaScript.
  if (!isFloat(a.outDtype) || a.aDtype != a.outDtype || a.bDtype != a.outDtype ||
      !e->rowFwd[a.outDtype])
    return boolean(env, false);
  BinaryRowJob j{e,
                 a.outDtype,
                 false,
                 true,
                 a.rows,
                 a.n,
                 a.aRowStride,
                 a.aStride,
                 a.bRowStride,
                 a.bStride,
                 const_cast<char*>(at(a.out, a.outOff, a.outDtype)),
                 nullptr,
                 at(a.a, a.aOff, a.aDtype),
                 at(a.b, a.bOff, a.bDtype),
                 a.p};
  gPool.run(partsForElementwise(a.rows * a.n, dtypeBytes(a.outDtype)), runBinaryRowPart, &j);
  return boolean(env, true);
}

napi_value BinaryBackward(napi_env env, napi_callback_info info) {
  nnkit::BinaryBackwardArgs a;
  if (!parseBinaryBackward(env, info, &a)) return nullptr;
  const nnkit::BinaryEntry* e = &gTable->binary[a.op];
  if (a.pCount < e->nparams)
    return contractError(env, "binaryBackward", "p", "the entry's parameters");
  const bool wrtA = a.which == 0;
  if (a.aDtype != a.outDtype || a.bDtype != a.outDtype ||
      !(wrtA ? e->rowBwdA : e->rowBwdB)[a.outDtype])
    return boolean(env, false);
  BinaryRowJob j{e,
                 a.outDtype,
                 true,
                 wrtA,
                 a.rows,
                 a.n,
                 a.aRowStride,
                 a.aStride,
                 a.bRowStride,
                 a.bStride,
                 const_cast<char*>(at(a.out, a.outOff, a.outDtype)),
                 at(a.dy, a.outOff, a.dyDtype),
                 at(a.a, a.aOff, a.aDtype),
                 at(a.b, a.bOff, a.bDtype),
                 a.p};
  gPool.run(partsForElementwise(a.rows * a.n, dtypeBytes(a.outDtype)), runBinaryRowPart, &j);
  return boolean(env, true);
}

/** The names of a table's entries, in the addon's op-index order. */
template <class Entry>
napi_value entryNames(napi_env env, const Entry* entries, int count) {
  napi_value arr;
  napi_create_array_with_length(env, size_t(count), &arr);
  for (int i = 0; i < count; i++) {
    napi_value s;
    napi_create_string_utf8(env, entries[i].name, NAPI_AUTO_LENGTH, &s);
    napi_set_element(env, arr, uint32_t(i), s);
  }
  return arr;
}

napi_value BinaryOpNames(napi_env env, napi_callback_info) {
  return entryNames(env, gTable->binary, gTable->nbinary);
}

// ---- kernels split over rows of an (outer, …) layout ------------------------------------
//
// Each takes its checked argument struct and a row range; a forward loss
// returns its rows' part of the total target weight.

int partsForRows(size_t outer, size_t perRow) {
  const size_t work = outer * perRow;
  return std::min(partsFor(work, outer), 256);
}

template <class Args, class Fn>
struct RowsJob {
  const Args* a;
  Fn fn;
  double partial[256];
};

template <class Args, class Fn>
void runRows(void* ctx, int part, int parts) {
  auto* j = static_cast<RowsJob<Args, Fn>*>(ctx);
  size_t lo, hi;
  chunk(j->a->outer, part, parts, 1, &lo, &hi);
  j->partial[part] = 0;
  if (lo >= hi) return;
  if constexpr (std::is_same_v<decltype(j->fn(*j->a, lo, hi)), double>)
    j->partial[part] = j->fn(*j->a, lo, hi);
  else
    j->fn(*j->a, lo, hi);
}

/** Runs `fn` over the rows of `a.outer` on the pool; returns the summed partial results. */
template <class Args, class Fn>
double splitRows(const Args& a, Fn fn, size_t perRow) {
  RowsJob<Args, Fn> j{&a, fn, {}};
  const int parts = partsForRows(a.outer, perRow);
  gPool.run(parts, runRows<Args, Fn>, &j);
  double total = 0;
  for (int p = 0; p < parts; p++) total += j.partial[p];
  return total;
}

struct StridedCopyJob {
  const nnkit::StridedCopyArgs* a;
  size_t width;
};

void runStridedCopyPart(void* ctx, int part, int parts) {
  const auto* j = static_cast<StridedCopyJob*>(ctx);
  const nnkit::StridedCopyArgs& a = *j->a;
  size_t lo, hi;
  chunk(a.d0 * a.d1, part, parts, nnkit::kTile, &lo, &hi);
  if (lo >= hi) return;
  if (j->width == 4)
    nnkit::copyStridedRows(static_cast<uint32_t*>(a.out) + a.outOff,
                           static_cast<const uint32_t*>(a.src) + a.offset, a.d1, a.d2, a.s0, a.s1,
                           a.s2, lo, hi);
  else
    nnkit::copyStridedRows(static_cast<uint64_t*>(a.out) + a.outOff,
                           static_cast<const uint64_t*>(a.src) + a.offset, a.d1, a.d2, a.s0, a.s1,
                           a.s2, lo, hi);
}

napi_value StridedCopy(napi_env env, napi_callback_info info) {
  nnkit::StridedCopyArgs a;
  if (!parseStridedCopy(env, info, &a)) return nullptr;
  const size_t total = a.d0 * a.d1 * a.d2;
  if (total == 0) return boolean(env, true);
  StridedCopyJob j{&a, dtypeBytes(a.outDtype)};
  gPool.run(partsForElementwise(total, j.width), runStridedCopyPart, &j);
  return boolean(env, true);
}

// ---- im2col and col2im: planes (or window rows) split over the threads
// ----------------------------------

/**
 * Whether every window size, stride, padding and dilation is below 2^31, so
 * the kernels' signed index arithmetic (a product of two, plus a third)
 * cannot overflow; otherwise throws.
 */
template <class Args>
bool windowGeometryOk(napi_env env, const char* kernel, const Args& a) {
  const size_t limit = size_t(1) << 31;
  for (size_t v : {a.h, a.w, a.kh, a.kw, a.sh, a.sw, a.ph, a.pw, a.dh, a.dw, a.oh, a.ow})
    if (v >= limit) {
      contractError(env, kernel, "geometry", "sizes below 2^31");
      return false;
    }
  return true;
}

template <class Args>
struct UnitsJob {
  const Args* a;
  size_t units;
  void (*fn)(const Args&, size_t, size_t);
};

template <class Args>
void runUnits(void* ctx, int part, int parts) {
  const auto* j = static_cast<UnitsJob<Args>*>(ctx);
  size_t lo, hi;
  chunk(j->units, part, parts, 1, &lo, &hi);
  if (lo < hi) j->fn(*j->a, lo, hi);
}

/** Runs `fn` over `units` units of `a` (planes, or window rows), `perUnit` elements of work each.
 */
template <class Args>
void splitUnits(const Args& a, size_t units, void (*fn)(const Args&, size_t, size_t),
                size_t perUnit) {
  UnitsJob<Args> j{&a, units, fn};
  gPool.run(std::min(partsFor(units * perUnit, units), 256), runUnits<Args>, &j);
}

napi_value Im2col(napi_env env, napi_callback_info info) {
  nnkit::Im2colArgs a;
  if (!parseIm2col(env, info, &a)) return nullptr;
  // Nothing to write (an empty batch may come with nominally huge planes): no index is formed.
  const size_t perPlane = a.kh * a.kw * a.oh * a.ow;
  if (a.batch * a.channels * perPlane == 0) return boolean(env, true);
  if (!windowGeometryOk(env, "im2col", a)) return nullptr;
  splitUnits(a, a.batch * a.channels,
             a.outDtype == 1 ? nnkit::im2colPlanes<double> : nnkit::im2colPlanes<float>, perPlane);
  return boolean(env, true);
}

napi_value Col2im(napi_env env, napi_callback_info info) {
  nnkit::Col2imArgs a;
  if (!parseCol2im(env, info, &a)) return nullptr;
  const size_t planes = a.batch * a.channels;
  if (planes * a.h * a.w == 0) return boolean(env, true);
  if (a.kh * a.kw * a.oh * a.ow == 0) {
    // No columns: the planes are 0, and no tap or window (perhaps 2^40 nominal ones) is walked.
    std::memset(a.dx, 0, planes * a.h * a.w * dtypeBytes(a.dxDtype));
    return boolean(env, true);
  }
  if (!windowGeometryOk(env, "col2im", a)) return nullptr;
  splitUnits(a, planes, a.dxDtype == 1 ? nnkit::col2imPlanes<double> : nnkit::col2imPlanes<float>,
             a.h * a.w + a.kh * a.kw * a.oh * a.ow);
  return boolean(env, true);
}

// The bounds were checked by the parser (each in [0, h] or [0, w]); a box's work is its area, at
// most the plane's, so a plane's work is bounded by outputs times plane size.
napi_value BoxSum(napi_env env, napi_callback_info info) {
  nnkit::BoxSumArgs a;
  if (!parseBoxSum(env, info, &a)) return nullptr;
  if (a.planes * a.oh * a.ow == 0) return boolean(env, true);
  splitUnits(a, a.planes,
             a.outDtype == 1 ? nnkit::boxSumPlanes<double> : nnkit::boxSumPlanes<float>,
             a.h * a.w + a.oh * a.ow);
  return boolean(env, true);
}

napi_value BoxSpread(napi_env env, napi_callback_info info) {
  nnkit::BoxSpreadArgs a;
  if (!parseBoxSpread(env, info, &a)) return nullptr;
  if (a.planes * a.h * a.w == 0) return boolean(env, true);
  if (a.oh * a.ow == 0) {
    // No gradient to spread: the planes are 0, and no (nominal) box row is walked.
    std::memset(a.dx, 0, a.planes * a.h * a.w * dtypeBytes(a.dxDtype));
    return boolean(env, true);
  }
  splitUnits(a, a.planes,
             a.dxDtype == 1 ? nnkit::boxSpreadPlanes<double> : nnkit::boxSpreadPlanes<float>,
             a.h * a.w + a.oh * a.ow);
  return boolean(env, true);
}

napi_value SoftmaxForward(napi_env env, napi_callback_info info) {
  nnkit::SoftmaxForwardArgs a;
  if (!parseSoftmaxForward(env, info, &a)) return nullptr;
  if (a.outer * a.size * a.inner > 0)
    splitRows(a, gTable->softmaxFwd[a.outDtype], a.size * a.inner);
  return boolean(env, true);
}

napi_value SoftmaxBackward(napi_env env, napi_callback_info info) {
  nnkit::SoftmaxBackwardArgs a;
  if (!parseSoftmaxBackward(env, info, &a)) return nullptr;
  if (a.outer * a.size * a.inner > 0) splitRows(a, gTable->softmaxBwd[a.dxDtype], a.size * a.inner);
  return boolean(env, true);
}

napi_value CrossEntropyForward(napi_env env, napi_callback_info info) {
  nnkit::CrossEntropyForwardArgs a;
  if (!parseCrossEntropyForward(env, info, &a)) return nullptr;
  if (a.weightDtype >= 0 && a.weightDtype != a.xDtype) return boolean(env, false);
  // Nothing to write: no row is walked (no positions may come with 2^40 nominal rows).
  const double total =
      a.outer * a.inner == 0 ? 0 : splitRows(a, gTable->ceFwd[a.xDtype], a.C * a.inner);
  napi_value r;
  napi_create_double(env, total, &r);
  return r;
}

napi_value CrossEntropyBackward(napi_env env, napi_callback_info info) {
  nnkit::CrossEntropyBackwardArgs a;
  if (!parseCrossEntropyBackward(env, info, &a)) return nullptr;
  if (a.weightDtype >= 0 && a.weightDtype != a.xDtype) return boolean(env, false);
  if (a.gradStride > 1) return contractError(env, "crossEntropyBackward", "gradStride", "0 or 1");
  splitRows(a, gTable->ceBwd[a.xDtype], a.C * a.inner);
  return boolean(env, true);
}

napi_value CrossEntropyProbForward(napi_env env, napi_callback_info info) {
  nnkit::CrossEntropyProbForwardArgs a;
  if (!parseCrossEntropyProbForward(env, info, &a)) return nullptr;
  if (a.targetDtype != a.xDtype || (a.weightDtype >= 0 && a.weightDtype != a.xDtype))
    return boolean(env, false);
  splitRows(a, gTable->ceProbFwd[a.xDtype], a.C * a.inner);
  return boolean(env, true);
}

napi_value CrossEntropyProbBackward(napi_env env, napi_callback_info info) {
  nnkit::CrossEntropyProbBackwardArgs a;
  if (!parseCrossEntropyProbBackward(env, info, &a)) return nullptr;
  if (a.targetDtype != a.xDtype || (a.weightDtype >= 0 && a.weightDtype != a.xDtype))
    return boolean(env, false);
  if (a.gradStride > 1)
    return contractError(env, "crossEntropyProbBackward", "gradStride", "0 or 1");
  splitRows(a, gTable->ceProbBwd[a.xDtype], a.C * a.inner);
  return boolean(env, true);
}

napi_value NllForward(napi_env env, napi_callback_info info) {
  nnkit::NllForwardArgs a;
  if (!parseNllForward(env, info, &a)) return nullptr;
  if (a.weightDtype >= 0 && a.weightDtype != a.xDtype) return boolean(env, false);
  const double total = a.outer * a.inner == 0 ? 0 : splitRows(a, gTable->nllFwd[a.xDtype], a.inner);
  napi_value r;
  napi_create_double(env, total, &r);
  return r;
}

napi_value NllBackward(napi_env env, napi_callback_info info) {
  nnkit::NllBackwardArgs a;
  if (!parseNllBackward(env, info, &a)) return nullptr;
  if (a.weightDtype >= 0 && a.weightDtype != a.dxDtype) return boolean(env, false);
  if (a.gradStride > 1) return contractError(env, "nllBackward", "gradStride", "0 or 1");
  if (a.outer * a.C * a.inner > 0) splitRows(a, gTable->nllBwd[a.dxDtype], a.inner);
  return boolean(env, true);
}

// ---- reductions over one dimension ---------------------------------------------

struct ReduceJob {
  const nnkit::ReduceDimArgs* a;
  double partial[256];
  bool has[256];  // whether the part's span was non-empty
};

// Three splits: by outer rows, by inner columns (outer = 1), or one row
// (outer = inner = 1) cut into spans whose partial results are combined in order.
void runReduceOuter(void* ctx, int part, int parts) {
  const auto& a = *static_cast<ReduceJob*>(ctx)->a;
  size_t lo, hi;
  chunk(a.outer, part, parts, 1, &lo, &hi);
  if (lo < hi)
    gTable->reduceStrided[a.xDtype](a.kind, lo, hi, a.size, a.inner, 0, a.inner, a.x, a.out);
}
void runReduceInner(void* ctx, int part, int parts) {
  const auto& a = *static_cast<ReduceJob*>(ctx)->a;
  size_t lo, hi;
  chunk(a.inner, part, parts, 16, &lo, &hi);
  if (lo < hi) gTable->reduceStrided[a.xDtype](a.kind, 0, 1, a.size, a.inner, lo, hi, a.x, a.out);
}
void runReduceSpan(void* ctx, int part, int parts) {
  auto* j = static_cast<ReduceJob*>(ctx);
  const auto& a = *j->a;
  size_t lo, hi;
  chunk(a.size, part, parts, 16, &lo, &hi);
  j->has[part] = lo < hi;
  j->partial[part] = lo < hi ? gTable->reduceSpan[a.xDtype](a.kind, a.x, lo, hi) : 0;
}

struct ExtremumJob {
  const nnkit::ExtremumIndicesArgs* a;
};

void runExtremumPart(void* ctx, int part, int parts) {
  const auto& a = *static_cast<ExtremumJob*>(ctx)->a;
  // By outer rows, or (one row) by inner columns.
  size_t lo = 0, hi = a.outer, ilo = 0, ihi = a.inner;
  if (a.outer >= 2)
    chunk(a.outer, part, parts, 1, &lo, &hi);
  else
    chunk(a.inner, part, parts, 16, &ilo, &ihi);
  if (lo >= hi || ilo >= ihi) return;
  auto* idx = static_cast<int32_t*>(a.indices);
  if (a.xDtype == 1) {
    const auto* x = static_cast<const double*>(a.x);
    auto* out = static_cast<double*>(a.out);
    if (a.kind == 0)
      nnkit::extremumIndexRows<double, true>(x, out, idx, a.size, a.inner, lo, hi, ilo, ihi);
    else
      nnkit::extremumIndexRows<double, false>(x, out, idx, a.size, a.inner, lo, hi, ilo, ihi);
  } else {
    const auto* x = static_cast<const float*>(a.x);
    auto* out = static_cast<float*>(a.out);
    if (a.kind == 0)
      nnkit::extremumIndexRows<float, true>(x, out, idx, a.size, a.inner, lo, hi, ilo, ihi);
    else
      nnkit::extremumIndexRows<float, false>(x, out, idx, a.size, a.inner, lo, hi, ilo, ihi);
  }
}

napi_value ExtremumIndices(napi_env env, napi_callback_info info) {
  nnkit::ExtremumIndicesArgs a;
  if (!parseExtremumIndices(env, info, &a)) return nullptr;
  if (a.size == 0) return contractError(env, "extremumIndices", "size", "at least 1");
  if (!isFloat(a.xDtype)) return boolean(env, false);  // int32 runs in JavaScript
  const size_t work = a.outer * a.size * a.inner;
  if (work == 0) return boolean(env, true);
  ExtremumJob j{&a};
  gPool.run(std::min(partsFor(work, a.outer >= 2 ? a.outer : a.inner), 256), runExtremumPart, &j);
  return boolean(env, true);
}

// ---- indexSelect and indexAdd: outer rows, or one row's columns, over the threads -------

template <class Args>
struct IndexJob {
  const Args* a;
  void (*fn)(const Args&, size_t, size_t, size_t, size_t);
};

template <class Args>
void runIndexPart(void* ctx, int part, int parts) {
  const auto* j = static_cast<IndexJob<Args>*>(ctx);
  const Args& a = *j->a;
  size_t lo = 0, hi = a.outer, ilo = 0, ihi = a.inner;
  if (a.outer >= 2)
    chunk(a.outer, part, parts, 1, &lo, &hi);
  else
    chunk(a.inner, part, parts, 16, &ilo, &ihi);
  if (lo < hi && ilo < ihi) j->fn(a, lo, hi, ilo, ihi);
}

template <class Args>
void splitIndex(const Args& a, void (*fn)(const Args&, size_t, size_t, size_t, size_t),
                size_t work) {
  IndexJob<Args> j{&a, fn};
  const size_t units = a.outer >= 2 ? a.outer : a.inner;
  gPool.run(std::min(partsFor(work, units), 256), runIndexPart<Args>, &j);
}

template <class T>
void indexSelectPart(const nnkit::IndexSelectArgs& a, size_t lo, size_t hi, size_t ilo,
                     size_t ihi) {
  nnkit::indexSelectRows(static_cast<const T*>(a.x), a.index, static_cast<T*>(a.out), a.size,
                         a.inner, a.k, lo, hi, ilo, ihi);
}

template <class T>
void indexAddPart(const nnkit::IndexAddArgs& a, size_t lo, size_t hi, size_t ilo, size_t ihi) {
  nnkit::indexAddRows(static_cast<T*>(a.dx), a.index, static_cast<const T*>(a.g), a.size, a.inner,
                      a.k, lo, hi, ilo, ihi);
}

napi_value IndexSelect(napi_env env, napi_callback_info info) {
  nnkit::IndexSelectArgs a;
  if (!parseIndexSelect(env, info, &a)) return nullptr;
  const size_t work = a.outer * a.k * a.inner;
  if (work == 0) return boolean(env, true);
  splitIndex(a, a.xDtype == 1 ? indexSelectPart<uint64_t> : indexSelectPart<uint32_t>, work);
  return boolean(env, true);
}

napi_value IndexAdd(napi_env env, napi_callback_info info) {
  nnkit::IndexAddArgs a;
  if (!parseIndexAdd(env, info, &a)) return nullptr;
  const size_t work = a.outer * (a.k + a.size) * a.inner;
  if (work == 0) return boolean(env, true);
  splitIndex(a, a.dxDtype == 1 ? indexAddPart<double> : indexAddPart<float>, work);
  return boolean(env, true);
}

napi_value ReduceDim(napi_env env, napi_callback_info info) {
  nnkit::ReduceDimArgs a;
  if (!parseReduceDim(env, info, &a)) return nullptr;
  // Floats only, one dtype; int32 and empty extrema run in JavaScript.
  if (!isFloat(a.xDtype) || a.outDtype != a.xDtype || a.inner == 0 || (a.kind != 0 && a.size == 0))
    return boolean(env, false);
  ReduceJob j{};
  j.a = &a;
  const size_t work = a.outer * a.size * a.inner;
  if (work == 0) {
    // Sums over an empty dimension are zero.
    std::memset(a.out, 0, a.outer * a.inner * (a.xDtype == 0 ? 4 : 8));
  } else if (a.outer >= 2) {
    gPool.run(std::min(partsFor(work, a.outer), 256), runReduceOuter, &j);
  } else if (a.inner >= 2) {
    gPool.run(std::min(partsFor(work, a.inner), 256), runReduceInner, &j);
  } else {
    const int parts = std::min(partsFor(work, a.size), 256);
    gPool.run(parts, runReduceSpan, &j);
    double r = j.partial[0];
    for (int p = 1; p < parts; p++) {
      if (!j.has[p]) continue;
      const double v = j.partial[p];
      if (a.kind == 0)
        r += v;
      else if (v != v || r != r)
        r = r != r ? r : v;
      else
        r = a.kind == 1 ? std::max(r, v) : std::min(r, v);
    }
    if (a.xDtype == 0)
      *static_cast<float*>(a.out) = float(r);
    else
      *static_cast<double*>(a.out) = r;
  }
  return boolean(env, true);
}

// ---- matrix product ------------------------------------------------------------

struct GemmJob {
  nnkit::GemmFn fn;
  size_t m, k, n;
  const void *a, *b, *bias;
  void* c;
  bool transA, transB, byRows;
  // Row parts start at multiples of this: the register tiles' height.
  size_t rowAlign = 12;
  // Optional column sums of a row-major [colRows × colCols] matrix into
  // colSum (float64 accumulation, as reduceDim's sums), in the same pool run
  // as the product: nn.Linear's bias gradient beside its weight gradient,
  // whose op(A) is that matrix transposed. Split by rows of C, the product
  // sums the rows of op(A) it packs into `rowSums` (colCols doubles, see
  // GemmFn) and each part rounds its own; otherwise, or where the product
  // did not pack A, a separate pass over the matrix (reduceStrided, the
  // same bits).
  const void* colSrc = nullptr;
  void* colSum = nullptr;
  double* rowSums = nullptr;
  size_t colRows = 0, colCols = 0;
  int dtype = 0;
};

/** Columns [lo, hi) of the job's column sums, from the product's row sums or a pass of their own.
 */
void gemmColumnSums(const GemmJob& j, size_t lo, size_t hi, bool summed) {
  if (lo >= hi) return;
  if (!summed) {
    gTable->reduceStrided[j.dtype](0, 0, 1, j.colRows, j.colCols, lo, hi, j.colSrc, j.colSum);
    return;
  }
  if (j.dtype == 0) {
    float* out = static_cast<float*>(j.colSum);
    for (size_t i = lo; i < hi; i++) out[i] = float(j.rowSums[i]);
  } else {
    std::memcpy(static_cast<double*>(j.colSum) + lo, j.rowSums + lo, (hi - lo) * sizeof(double));
  }
}

void runGemmPart(void* ctx, int part, int parts) {
  auto* j = static_cast<GemmJob*>(ctx);
  size_t lo, hi;
  if (j->colSum && !j->byRows) {
    chunk(j->colCols, part, parts, 16, &lo, &hi);
    gemmColumnSums(*j, lo, hi, false);
  }
  // Rows in multiples of every register-tile height (12, 6 and 4; see
  // runGemm for the narrow path's); columns of whole strips (32 floats for
  // AVX-512, 16 for AVX2).
  if (j->byRows)
    chunk(j->m, part, parts, j->rowAlign, &lo, &hi);
  else
    chunk(j->n, part, parts, 32, &lo, &hi);
  if (lo >= hi) return;
  // The packed panels: a private, 64-byte-aligned buffer per thread, kept
  // between calls (allocating and zeroing it per call dominated small
  // products). Cache-line alignment matters to AVX-512: a 64-byte load from
  // a misaligned strip touches two lines every time.
  thread_local std::vector<double> work(nnkit::kGemmWorkBytes / sizeof(double) + 8);
  void* buf =
      reinterpret_cast<void*>((reinterpret_cast<uintptr_t>(work.data()) + 63) & ~uintptr_t(63));
  if (j->byRows) {
    const bool summed = j->fn(lo, hi, 0, j->n, j->m, j->k, j->n, j->a, j->b, j->c, buf, j->transA,
                              j->transB, j->bias, j->rowSums);
    if (j->colSum) gemmColumnSums(*j, lo, hi, summed);
  } else {
    j->fn(0, j->m, lo, hi, j->m, j->k, j->n, j->a, j->b, j->c, buf, j->transA, j->transB, j->bias,
          nullptr);
  }
}

/**
 * Runs a product on the pool. It is split along its larger dimension of C:
 * each thread then packs only its own part of the operand that dimension
 * indexes (rows of op(A), or columns of op(B)) and reads the other in full.
 */
void runGemm(GemmJob& j) {
  int parts = 1;
  const int threads = gPool.threads();
  const double macs = double(j.m) * double(j.n) * double(j.k);
  // From 2^21 multiply-adds the arithmetic pays for waking a worker; from
  // 2^17 elements of C (512 KB of float32) so does the store of C alone: a
  // product with a short k is bound by writing C, usually memory the cache
  // has not seen, and two cores fill it faster than one (bench:train a's
  // 3000×2 · 2×100 hidden layer: 370 → 260 µs with 2 threads). The rows
  // then sit in the cache of the core that the elementwise kernels, which
  // split tensors the same way, give them to next (a's ReLU backward: 188 →
  // 107 µs).
  if (threads > 1 && (macs >= double(1 << 21) || double(j.m) * double(j.n) >= double(1 << 17))) {
    // At most 4 columns, A untransposed: gemm.h's narrow path, whose row
    // tiles are at most 4 high. In multiples of 12, bench:train d-adaptive's
    // 27-row input gradient of its last tail cluster (g·W, 27×40,000 ·
    // 40,000×4) split 24 + 3, as good as one thread.
    if (j.n <= 4 && !j.transA) j.rowAlign = 4;
    const size_t rowBlocks = (j.m + j.rowAlign - 1) / j.rowAlign, strips = (j.n + 31) / 32;
    j.byRows = j.m >= j.n;
    // Split by columns with A read in place, the parts share only A, so a
    // thread's share is cut in four, as an elementwise kernel's is: a worker
    // that starts late or loses its core for a while leaves parts for the
    // other threads to take (2 threads, products back to back: bench:train
    // b's 128×512×512 forward 0.20–0.21 → 0.18–0.19 ms in bench/gemm.ts
    // --threads, its 128×784×512 one 364–407 → 313–332 µs over 100 calls).
    // Split by rows, every part would pack B's panel again, and a transposed
    // A is packed per part too: one part per thread there.
    const size_t perThread = !j.byRows && !j.transA ? 4 : 1;
    parts = int(std::min<size_t>(size_t(threads) * perThread, j.byRows ? rowBlocks : strips));
  }
  gPool.run(parts, runGemmPart, &j);
}

napi_value Matmul(napi_env env, napi_callback_info info) {
  nnkit::MatmulArgs a;
  if (!parseMatmul(env, info, &a)) return nullptr;
  if (a.aDtype != a.cDtype || a.bDtype != a.cDtype) return boolean(env, false);
  if (a.m == 0 || a.n == 0) return boolean(env, true);
  GemmJob j{
      gTable->gemm[a.cDtype], a.m, a.k, a.n, a.a, a.b, nullptr, a.c, a.transA, a.transB, true};
  runGemm(j);
  return boolean(env, true);
}

// ---- linear layers ---------------------------------------------------------------

napi_value Linear(napi_env env, napi_callback_info info) {
  nnkit::LinearArgs a{};
  if (!parseLinear(env, info, &a)) return nullptr;
  if (a.m == 0 || a.n == 0) return boolean(env, true);
  // y = x·wᵀ + b: the GEMM reads w ([n×k]) transposed in place and adds b as it stores y.
  GemmJob j{gTable->gemm[a.yDtype], a.m, a.k, a.n, a.x, a.w, a.b, a.y, false, true, true};
  runGemm(j);
  return boolean(env, true);
}

napi_value LinearBackward(napi_env env, napi_callback_info info) {
  nnkit::LinearBackwardArgs a{};
  if (!parseLinearBackward(env, info, &a)) return nullptr;
  if (a.n == 0) return boolean(env, true);
  // dw[n×k] = gᵀ·x: g ([m×n]) is read transposed in place; m = 0 gives zeros.
  GemmJob j{gTable->gemm[a.gDtype], a.n, a.m, a.k, a.g, a.x, nullptr, a.dw, true, false, true};
  std::unique_ptr<double[]> rowSums;
  if (a.db && a.m == 0) {
    // Sums over an empty batch are zero.
    std::memset(a.db, 0, a.n * (a.gDtype == 0 ? 4 : 8));
  } else if (a.db) {
    // Only float32 products sum g as they pack it (GemmFn); without room
    // for the row sums the parts sum g in a pass of their own.
    if (a.gDtype == 0) rowSums.reset(new (std::nothrow) double[a.n]);
    j.colSrc = a.g;
    j.colSum = a.db;
    j.rowSums = rowSums.get();
    j.colRows = a.m;
    j.colCols = a.n;
    j.dtype = a.gDtype;
  }
  runGemm(j);
  return boolean(env, true);
}

// ---- optimizer steps: the N-API functions ---------------------------------------

#include "optim_bindings.generated.h"

// ---- random sampling: PyTorch's generator, dropout's mask, uniform_ and normal_ ---

#include "mt19937.h"
#include "bernoulli_mask.h"
#include "random_fill.h"

// ---- normalization over the slices of a (batch, outer, size) layout ----------------
//
// The forward and input-gradient kernels are in the ISA tables (layer_norm.h,
// part of kernels.h); the weight and bias gradients, column sums over every
// slice of every sample, are here: one pass per range of weights.

namespace {
/**
 * The sums for weights [klo, khi) into w[k − klo] and b[k − klo]: every slice
 * of every sample in order, so that each weight's sum adds the same terms in
 * the same order whatever the range — the parts of a pool run give the bits
 * of one pass.
 */
template <class T>
inline __attribute__((always_inline)) void layerNormParamGradsBody(
    const nnkit::LayerNormParamGradsArgs& a, size_t klo, size_t khi, double* w0, double* b0) {
  const size_t n = a.size, run = a.run, perGroup = n / run;
  const T* x = static_cast<const T*>(a.x);
  const T* dy = static_cast<const T*>(a.dy);
  for (size_t s = 0; s < a.batch; s++)
    for (size_t r = 0; r < a.outer; r++) {
      const size_t base = (s * a.outer + r) * n;
      const size_t first = (r % a.groups) * perGroup;
      // This slice's weights are [first, first + perGroup); the part's share of them.
      size_t qlo = 0, qend = perGroup;
      if (klo > first || khi < first + perGroup) {
        qlo = std::max(klo, first) - first;
        const size_t qhi = std::min(khi, first + perGroup);
        if (qhi <= first + qlo) continue;
        qend = qhi - first;
      }
      const double mean = a.stats[3 * r], rstd = a.stats[3 * r + 1];
      // Weight first + j is w0[first + j − klo]: off = first − klo, taken modulo 2^64.
      const size_t off = first - klo;
      if (run == 1) {
        for (size_t j = qlo; j < qend; j++) {
          const double g = double(dy[base + j]);
          w0[off + j] += g * ((double(x[base + j]) - mean) * rstd);
          b0[off + j] += g;
        }
        continue;
      }
      // A run of elements shares its weight (a channel of a group norm): its
      // sums in vector lanes, as layerNormBackward's sums over a run are (one
      // chain of dependent additions took group norm's [64, 256, 64] 0.76 ms).
      for (size_t q = qlo; q < qend; q++) {
        double sw = 0, sb = 0;
#pragma omp simd reduction(+ : sw, sb)
        for (size_t j = base + q * run; j < base + (q + 1) * run; j++) {
          const double g = double(dy[j]);
          sw += g * ((double(x[j]) - mean) * rstd);
          sb += g;
        }
        w0[off + q] += sw;
        b0[off + q] += sb;
      }
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
// The same loop in 4-lane AVX2 on CPUs that have it (the addon's own code is
// baseline x86-64: 2 lanes of float64). No FMA in the target, so nothing
// contracts g·x̂ + w: a weight per column rounds as in the baseline build, the
// bits are the same; the sums over a run have 4 lanes of partial sums there
// instead of 2.
template <class T>
__attribute__((target("avx2"))) void layerNormParamGradsAvx2(
    const nnkit::LayerNormParamGradsArgs& a, size_t klo, size_t khi, double* w, double* b) {
  layerNormParamGradsBody<T>(a, klo, khi, w, b);
}
const bool kParamGradsAvx2 = __builtin_cpu_supports("avx2");
#else
template <class T>
void layerNormParamGradsAvx2(const nnkit::LayerNormParamGradsArgs&, size_t, size_t, double*,
                             double*) {}
const bool kParamGradsAvx2 = false;
#endif

template <class T>
void layerNormParamGradsBase(const nnkit::LayerNormParamGradsArgs& a, size_t klo, size_t khi,
                             double* w, double* b) {
  layerNormParamGradsBody<T>(a, klo, khi, w, b);
}

template <class T>
void runParamGradsPart(void* ctx, int part, int parts) {
  const auto& a = *static_cast<const nnkit::LayerNormParamGradsArgs*>(ctx);
  size_t lo, hi;
  chunk(a.weights, part, parts, 16, &lo, &hi);
  if (lo >= hi) return;
  // Float64 sums of this part's weights, indexed from lo.
  std::vector<double> w(hi - lo, 0.0), b(hi - lo, 0.0);
  if (kParamGradsAvx2)
    layerNormParamGradsAvx2<T>(a, lo, hi, w.data(), b.data());
  else
    layerNormParamGradsBase<T>(a, lo, hi, w.data(), b.data());
  T* dw = static_cast<T*>(a.dw);
  T* db = static_cast<T*>(a.db);
  for (size_t k = lo; k < hi; k++) {
    dw[k] = T(w[k - lo]);
    db[k] = T(b[k - lo]);
  }
}

template <class T>
void layerNormParamGrads(const nnkit::LayerNormParamGradsArgs& a) {
  if (a.batch * a.outer * a.size == 0) {
    // No elements: both gradients are 0, and no (nominal) slice is walked.
    std::fill(static_cast<T*>(a.dw), static_cast<T*>(a.dw) + a.weights, T(0));
    std::fill(static_cast<T*>(a.db), static_cast<T*>(a.db) + a.weights, T(0));
    return;
  }
  // Split by weights: each part reads its columns of every slice (whole
  // cache lines from 16 weights on) and owns its sums. Where every slice
  // holds every weight (layer norm), a part reads a piece of each row and
  // skips the rest; under 1,024 elements a piece two threads were slower
  // than one ([4096, 1000]: 1.20–1.28 ms against 0.98–1.00; [8·512, 4096]:
  // 6.65–7.16 against 8.05), and so they were on slices of a few elements
  // (nnkit's batch norms sum their weight gradients in layerNormBackward).
  const size_t work = a.batch * a.outer * a.size;
  int parts = std::min(partsFor(work, (a.weights + 15) / 16), 256);
  if (a.size < 64 || (a.groups == 1 && a.size / size_t(parts) < 1024)) parts = 1;
  nnkit::LayerNormParamGradsArgs job = a;
  gPool.run(parts, runParamGradsPart<T>, &job);
}
}  // namespace

// Whether the weight layout is one the kernels can index: `run` divides `size` and the weights
// hold groups·size/run elements (element j of slice r reads (r mod groups)·(size/run) + ⌊j/run⌋);
// else throws, naming the kernel. Empty slices index nothing.
template <class Args>
bool weightLayoutOk(napi_env env, const char* kernel, const Args& a, bool hasWeights) {
  const bool ok = a.size == 0 ||
                  (a.groups >= 1 && a.run >= 1 && a.size % a.run == 0 &&
                   (!hasWeights || double(a.weights) >= double(a.groups) * double(a.size / a.run)));
  if (!ok)
    contractError(env, kernel, "groups, run, weights",
                  "groups ≥ 1, run dividing size, weights ≥ groups·size/run");
  return ok;
}

// Runs a slice kernel of the ISA table (the entry for the arrays' dtype) over the slices of
// a (batch, outer, size) layout on the pool.
template <class Args, class Fn>
void splitSlices(const Args& a, Fn fn) {
  if (a.batch * a.outer * a.size > 0) splitRows(a, fn, 3 * a.batch * a.size);
}

napi_value LayerNormForward(napi_env env, napi_callback_info info) {
  nnkit::LayerNormForwardArgs a;
  if (!parseLayerNormForward(env, info, &a)) return nullptr;
  if (!weightLayoutOk(env, "layerNormForward", a, a.weight || a.bias)) return nullptr;
  splitSlices(a, gTable->layerNormFwd[a.outDtype]);
  return boolean(env, true);
}

napi_value LayerNormBackward(napi_env env, napi_callback_info info) {
  nnkit::LayerNormBackwardArgs a;
  if (!parseLayerNormBackward(env, info, &a)) return nullptr;
  if (!weightLayoutOk(env, "layerNormBackward", a, a.weight)) return nullptr;
  splitSlices(a, gTable->layerNormBwd[a.dxDtype]);
  return boolean(env, true);
}

napi_value LayerNormParamGrads(napi_env env, napi_callback_info info) {
  nnkit::LayerNormParamGradsArgs a;
  if (!parseLayerNormParamGrads(env, info, &a)) return nullptr;
  if (!weightLayoutOk(env, "layerNormParamGrads", a, true)) return nullptr;
  if (a.dwDtype == 0)
    layerNormParamGrads<float>(a);
  else
    layerNormParamGrads<double>(a);
  return boolean(env, true);
}

napi_value SetNumThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  double n = 1;
  if (argc >= 1 && napi_get_value_double(env, argv[0], &n) != napi_ok) n = 1;
  int t = n < 1 ? 1 : n > 256 ? 256 : int(n);
  if (t != gPool.threads()) gPool.resize(t);
  return nullptr;
}

napi_value GetNumThreads(napi_env env, napi_callback_info) {
  napi_value r;
  napi_create_int32(env, gPool.threads(), &r);
  return r;
}

napi_value PoolSpinMicros(napi_env env, napi_callback_info) {
  napi_value r;
  napi_create_int32(env, gPool.spinMicros(), &r);
  return r;
}

napi_value OpNames(napi_env env, napi_callback_info) {
  return entryNames(env, gTable->unary, gTable->nunary);
}

// math(which, out, x): one elementary function over a whole array (tests only).
napi_value Math(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  const char* K = "math";
  size_t which;
  void *out, *x;
  int od, xd;
  size_t ol, xl;
  if (argc < 3 || !readCount(env, K, "which", argv[0], &which) ||
      !readArray(env, K, "out", argv[1], false, &out, &od, &ol) ||
      !readArray(env, K, "x", argv[2], false, &x, &xd, &xl))
    return nullptr;
  if (!isFloat(od) || xd != od || xl > ol) return boolean(env, false);
  gTable->math[od](int(which), xl, out, x);
  return boolean(env, true);
}

napi_value Isa(napi_env env, napi_callback_info) {
  napi_value s;
  napi_create_string_utf8(env, gTable->isa, NAPI_AUTO_LENGTH, &s);
  return s;
}

// The AVX2 kernel table with the AVX-512 matrix product, softmax and
// cross-entropy rows and float32 exp/log/tanh/erf-bound unary ops
// (kernels_avx512.cc), when both are built.
const nnkit::KernelTable* tableAvx512() {
  static nnkit::KernelTable t;
  static bool built = false;
  if (!built) {
    const nnkit::KernelTable* avx2 = nnkit::tableAvx2();
    if (!avx2) return nullptr;
    t = *avx2;
    if (!nnkit::useAvx512Kernels(&t)) return nullptr;
    built = true;
  }
  return &t;
}

// The builds this CPU can run, best first: 'avx512' (AVX2 kernels; AVX-512
// matrix product, softmax and cross-entropy rows, float32 unary ops bound by
// exp, log, tanh or erf), 'avx2', 'baseline'.
std::vector<std::pair<const char*, const nnkit::KernelTable*>> usableTables() {
  std::vector<std::pair<const char*, const nnkit::KernelTable*>> r;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  if (nnkit::tableAvx2() && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    if (__builtin_cpu_supports("avx512f") && tableAvx512()) r.push_back({"avx512", tableAvx512()});
    r.push_back({"avx2", nnkit::tableAvx2()});
  }
#endif
  r.push_back({"baseline", nnkit::tableBaseline()});
  return r;
}

// isas() → the names useIsa accepts on this CPU, best first.
napi_value Isas(napi_env env, napi_callback_info) {
  const auto tables = usableTables();
  napi_value arr;
  napi_create_array_with_length(env, tables.size(), &arr);
  for (size_t i = 0; i < tables.size(); i++) {
    napi_value s;
    napi_create_string_utf8(env, tables[i].first, NAPI_AUTO_LENGTH, &s);
    napi_set_element(env, arr, uint32_t(i), s);
  }
  return arr;
}

// useIsa(name) → boolean: for tests and benchmarks that compare the builds;
// false (and no change) for a build this CPU cannot run.
napi_value UseIsa(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  char buf[16] = {0};
  size_t len = 0;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], buf, sizeof buf, &len) != napi_ok)
    return boolean(env, false);
  for (const auto& t : usableTables())
    if (strcmp(buf, t.first) == 0) {
      gTable = t.second;
      return boolean(env, true);
    }
  return boolean(env, false);
}

// The build to start with: NNKIT_ISA from the environment if this CPU runs
// it (say 'avx2' on a CPU whose 512-bit units are slower than its 256-bit
// ones), else the best.
const nnkit::KernelTable* bestTable() {
  const auto tables = usableTables();
  if (const char* want = std::getenv("NNKIT_ISA"))
    for (const auto& t : tables)
      if (strcmp(want, t.first) == 0) return t.second;
  return tables.front().second;
}

// Tensor storage is V8-owned memory obtained from glibc's malloc. By default
// glibc maps large blocks freshly with mmap and unmaps them on free, so every
// new tensor pays a page fault per 4 KB on first touch — measured here at
// 8 ms for a 16 MB tensor, ten times the relu kernel. Serving blocks from
// the heap and keeping up to 256 MB of freed memory lets tensors reuse warm
// pages, as PyTorch's caching allocators do. The mmap threshold cannot be
// raised past 32 MB, so blocks are not mapped on their own at all (M_MMAP_MAX
// 0; glibc still maps when the heap cannot grow): bench:train d-full's 51 MB
// logits, a new tensor every step, faulted ~500 times a step even on huge
// pages, and its forward took 20–22 ms instead of 10 (step 57 → 40 ms). The
// price: a freed block below a live one stays in the process for reuse
// instead of going back to the system at once.
// NNKIT_MALLOPT=0 in the environment keeps glibc's defaults.
void tuneMalloc() {
#if defined(__GLIBC__)
  const char* env = std::getenv("NNKIT_MALLOPT");
  if (env && env[0] == '0') return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_MMAP_MAX, 0);
#endif
}

// adviseHugePages(buffer) → boolean: asks Linux to back the untouched
// storage of a new large tensor with 2 MB transparent huge pages. Memory the
// heap has not used before (and every block with NNKIT_MALLOPT=0 over 32 MB)
// faults and is zeroed page by page on its first write: a fresh 51 MB tensor
// (bench:train d-full's logits) cost 27 ms of page faults here, 5.7 ms with
// huge pages. Only the whole 2 MB pages inside the buffer are advised, so
// no memory outside it changes; a no-op (false) off Linux or where THP is
// disabled ("never"), and harmless on memory already touched.
napi_value AdviseHugePages(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  void* data = nullptr;
  size_t bytes = 0;
  if (argc < 1 || napi_get_arraybuffer_info(env, argv[0], &data, &bytes) != napi_ok)
    return boolean(env, false);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr uintptr_t kHuge = uintptr_t(2) << 20;
  const uintptr_t lo = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t hi = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (hi > lo)
    return boolean(env, madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE) == 0);
#endif
  return boolean(env, false);
}

napi_value Init(napi_env env, napi_value exports) {
  if (!gTable) {
    gTable = bestTable();
    tuneMalloc();
  }
#define NNKIT_PROPERTY(js, Name) \
  {#js, nullptr, Name, nullptr, nullptr, nullptr, napi_default, nullptr},
  const napi_property_descriptor props[] = {
      NNKIT_KERNELS(NNKIT_PROPERTY){"setNumThreads", nullptr, SetNumThreads, nullptr, nullptr,
                                    nullptr, napi_default, nullptr},
      {"getNumThreads", nullptr, GetNumThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"poolSpinMicros", nullptr, PoolSpinMicros, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"opNames", nullptr, OpNames, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binaryOpNames", nullptr, BinaryOpNames, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"math", nullptr, Math, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"isa", nullptr, Isa, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"useIsa", nullptr, UseIsa, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"isas", nullptr, Isas, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adviseHugePages", nullptr, AdviseHugePages, nullptr, nullptr, nullptr, napi_default,
       nullptr},
  };
#undef NNKIT_PROPERTY
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
