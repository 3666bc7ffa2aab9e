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
#include <cstdlib>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "table.h"

namespace {

const nnkit::KernelTable* gTable = nullptr;

// ---- thread pool ------------------------------------------------------------
//
// `threads` counts the calling thread: threads = 1 means no workers (the
// default, like torch.set_num_threads(1)). Work is split into `parts`
// contiguous chunks; part 0 runs on the caller, part k on worker k−1.
// Workers sleep on a condition variable between jobs.
class Pool {
 public:
  typedef void (*PartFn)(void* ctx, int part, int parts);

  ~Pool() { resize(1); }

  int threads() const { return int(workers_.size()) + 1; }

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
    const uint64_t current = generation_;
    for (int k = 1; k < threads; k++)
      workers_.emplace_back([this, k, current] { loop(k, current); });
  }

  /** Runs fn(ctx, p, parts) for p in [0, parts); returns when all are done. */
  void run(int parts, PartFn fn, void* ctx) {
    // Another JS thread (worker_threads) may be using the pool: run serially.
    std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
    if (parts <= 1 || workers_.empty() || !busy.owns_lock()) {
      for (int p = 0; p < parts; p++) fn(ctx, p, parts);
      return;
    }
    if (parts > threads()) parts = threads();
    {
      std::lock_guard<std::mutex> lk(m_);
      fn_ = fn;
      ctx_ = ctx;
      parts_ = parts;
      remaining_.store(parts - 1, std::memory_order_relaxed);
      generation_++;
    }
    cv_.notify_all();
    fn(ctx, 0, parts);
    // The other parts finish within microseconds of this one: spin, then yield.
    for (int spins = 0; remaining_.load(std::memory_order_acquire) != 0; spins++) {
      if (spins > 2000) std::this_thread::yield();
    }
  }

 private:
  void loop(int k, uint64_t seen) {
    for (;;) {
      PartFn fn;
      void* ctx;
      int parts;
      {
        std::unique_lock<std::mutex> lk(m_);
        cv_.wait(lk, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
        fn = fn_;
        ctx = ctx_;
        parts = parts_;
      }
      if (k < parts) {
        fn(ctx, k, parts);
        remaining_.fetch_sub(1, std::memory_order_acq_rel);
      }
    }
  }

  std::vector<std::thread> workers_;
  std::mutex busy_;
  std::mutex m_;
  std::condition_variable cv_;
  bool stop_ = false;
  uint64_t generation_ = 0;
  PartFn fn_ = nullptr;
  void* ctx_ = nullptr;
  int parts_ = 0;
  std::atomic<int> remaining_{0};
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

// ---- argument helpers ---------------------------------------------------------

struct Array {
  void* data = nullptr;
  size_t length = 0;
  int dtype = -1;  // 0 float32, 1 float64, -1 other/null
  napi_typedarray_type type = napi_int8_array;
  bool present = false;
};

bool getArray(napi_env env, napi_value v, Array* a) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return false;
  if (t == napi_null || t == napi_undefined) return true;
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return false;
  napi_typedarray_type type;
  napi_value ab;
  size_t off;
  if (napi_get_typedarray_info(env, v, &type, &a->length, &a->data, &ab, &off) != napi_ok)
    return false;
  a->dtype = type == napi_float32_array ? 0 : type == napi_float64_array ? 1 : -1;
  a->type = type;
  a->present = true;
  return true;
}

bool getNumber(napi_env env, napi_value v, double* out) {
  return napi_get_value_double(env, v, out) == napi_ok;
}

/** Reads up to 8 kernel parameters from a JS array of numbers. */
bool getParams(napi_env env, napi_value v, double* p, int expected) {
  uint32_t len = 0;
  if (napi_get_array_length(env, v, &len) != napi_ok) return false;
  if (int(len) < expected || expected > 8) return false;
  for (int k = 0; k < expected; k++) {
    napi_value e;
    if (napi_get_element(env, v, uint32_t(k), &e) != napi_ok) return false;
    if (!getNumber(env, e, &p[k])) return false;
  }
  return true;
}

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

// ---- bindings -------------------------------------------------------------------

struct UnaryJob {
  const nnkit::UnaryEntry* e;
  int dtype;
  size_t n;
  void *out, *dy;
  const void *x, *y;
  double p[8];
};

void runUnaryFwdPart(void* ctx, int part, int parts) {
  auto* j = static_cast<UnaryJob*>(ctx);
  size_t lo, hi;
  chunk(j->n, part, parts, 16, &lo, &hi);
  if (lo < hi) j->e->fwd[j->dtype](lo, hi, j->out, j->x, j->p);
}

void runUnaryBwdPart(void* ctx, int part, int parts) {
  auto* j = static_cast<UnaryJob*>(ctx);
  size_t lo, hi;
  chunk(j->n, part, parts, 16, &lo, &hi);
  if (lo < hi) j->e->bwd[j->dtype](lo, hi, j->out, j->dy, j->x, j->y, j->p);
}

// unaryForward(op, n, out, x, params) → boolean
napi_value UnaryForward(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  double op, n;
  Array out, x;
  if (argc < 5 || !getNumber(env, argv[0], &op) || !getNumber(env, argv[1], &n) ||
      !getArray(env, argv[2], &out) || !getArray(env, argv[3], &x))
    return boolean(env, false);
  if (op < 0 || op >= gTable->nunary || out.dtype < 0 || x.dtype != out.dtype || n < 0 ||
      size_t(n) > out.length || size_t(n) > x.length)
    return boolean(env, false);
  UnaryJob j{};
  j.e = &gTable->unary[int(op)];
  if (!getParams(env, argv[4], j.p, j.e->nparams)) return boolean(env, false);
  j.dtype = out.dtype;
  j.n = size_t(n);
  j.out = out.data;
  j.x = x.data;
  gPool.run(partsFor(j.n, j.n), runUnaryFwdPart, &j);
  return boolean(env, true);
}

// unaryBackward(op, n, dx, dy, x|null, y|null, params) → boolean
napi_value UnaryBackward(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  double op, n;
  Array dx, dy, x, y;
  if (argc < 7 || !getNumber(env, argv[0], &op) || !getNumber(env, argv[1], &n) ||
      !getArray(env, argv[2], &dx) || !getArray(env, argv[3], &dy) ||
      !getArray(env, argv[4], &x) || !getArray(env, argv[5], &y))
    return boolean(env, false);
  if (op < 0 || op >= gTable->nunary || dx.dtype < 0 || dy.dtype != dx.dtype || n < 0)
    return boolean(env, false);
  const nnkit::UnaryEntry* e = &gTable->unary[int(op)];
  const size_t count = size_t(n);
  if (!e->hasBackward || count > dx.length || count > dy.length) return boolean(env, false);
  if (e->needsX && (x.dtype != dx.dtype || count > x.length)) return boolean(env, false);
  if (e->needsY && (y.dtype != dx.dtype || count > y.length)) return boolean(env, false);
  UnaryJob j{};
  j.e = e;
  if (!getParams(env, argv[6], j.p, e->nparams)) return boolean(env, false);
  j.dtype = dx.dtype;
  j.n = count;
  j.out = dx.data;
  j.dy = dy.data;
  j.x = x.data;
  j.y = y.data;
  gPool.run(partsFor(count, count), runUnaryBwdPart, &j);
  return boolean(env, true);
}

// ---- fused reductions of binary entries ----------------------------------------

struct BinaryJob {
  const nnkit::BinaryEntry* e;
  int dtype;
  bool backward, wrtA;
  size_t n;
  void* out;
  const void *a, *b;
  double scale;
  double p[8];
  double partial[256];
};

void runBinaryPart(void* ctx, int part, int parts) {
  auto* j = static_cast<BinaryJob*>(ctx);
  size_t lo, hi;
  chunk(j->n, part, parts, 16, &lo, &hi);
  j->partial[part] = 0;
  if (lo >= hi) return;
  if (!j->backward)
    j->partial[part] = j->e->sum[j->dtype](lo, hi, j->a, j->b, j->p);
  else if (j->wrtA)
    j->e->bwdA[j->dtype](lo, hi, j->out, j->scale, j->a, j->b, j->p);
  else
    j->e->bwdB[j->dtype](lo, hi, j->out, j->scale, j->a, j->b, j->p);
}

/** Reads op, n, a, b (argv[a..]) and params; false to decline. */
bool binaryCommon(napi_env env, napi_value op, napi_value n, napi_value a, napi_value b,
                  napi_value params, BinaryJob* j) {
  double opd, nd;
  Array aa, ba;
  if (!getNumber(env, op, &opd) || !getNumber(env, n, &nd) || !getArray(env, a, &aa) ||
      !getArray(env, b, &ba))
    return false;
  if (opd < 0 || opd >= gTable->nbinary || nd < 0 || aa.dtype < 0 || ba.dtype != aa.dtype ||
      size_t(nd) > aa.length || size_t(nd) > ba.length)
    return false;
  j->e = &gTable->binary[int(opd)];
  if (!getParams(env, params, j->p, j->e->nparams)) return false;
  j->dtype = aa.dtype;
  j->n = size_t(nd);
  j->a = aa.data;
  j->b = ba.data;
  return true;
}

// binarySum(op, n, a, b, params) → Σ f(a, b) | false
napi_value BinarySum(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  BinaryJob j{};
  if (argc < 5 || !binaryCommon(env, argv[0], argv[1], argv[2], argv[3], argv[4], &j))
    return boolean(env, false);
  const int parts = std::min(partsFor(j.n, j.n), 256);
  gPool.run(parts, runBinaryPart, &j);
  return sumOfParts(env, j.partial, parts);
}

// binaryBackwardScaled(op, wrtA, n, out, scale, a, b, params) → boolean
napi_value BinaryBackwardScaled(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  BinaryJob j{};
  Array out;
  bool wrtA = true;
  if (argc < 8 || napi_get_value_bool(env, argv[1], &wrtA) != napi_ok ||
      !getArray(env, argv[3], &out) || !getNumber(env, argv[4], &j.scale) ||
      !binaryCommon(env, argv[0], argv[2], argv[5], argv[6], argv[7], &j))
    return boolean(env, false);
  if (out.dtype != j.dtype || out.length < j.n) return boolean(env, false);
  j.backward = true;
  j.wrtA = wrtA;
  j.out = out.data;
  gPool.run(std::min(partsFor(j.n, j.n), 256), runBinaryPart, &j);
  return boolean(env, true);
}

struct BinaryRowJob {
  const nnkit::BinaryEntry* e;
  int dtype;
  bool backward, wrtA;
  size_t n, aStride, bStride;
  void* out;
  const void *dy, *a, *b;
  double p[8];
};

void runBinaryRowPart(void* ctx, int part, int parts) {
  auto* j = static_cast<BinaryRowJob*>(ctx);
  size_t lo, hi;
  chunk(j->n, part, parts, 16, &lo, &hi);
  if (lo >= hi) return;
  if (!j->backward)
    j->e->rowFwd[j->dtype](lo, hi, j->out, j->a, j->aStride, j->b, j->bStride, j->p);
  else if (j->wrtA)
    j->e->rowBwdA[j->dtype](lo, hi, j->out, j->dy, j->a, j->aStride, j->b, j->bStride, j->p);
  else
    j->e->rowBwdB[j->dtype](lo, hi, j->out, j->dy, j->a, j->aStride, j->b, j->bStride, j->p);
}

/**
 * Points `*at` at element `off` of `arr` for a row of n elements read with
 * `stride` (0 or 1); false when out of bounds or of another dtype.
 */
bool rowOperand(napi_env env, napi_value arrV, napi_value offV, napi_value strideV, int dtype,
                size_t n, const void** at, size_t* stride) {
  Array arr;
  double off, st;
  if (!getArray(env, arrV, &arr) || !arr.present || arr.dtype != dtype ||
      !getNumber(env, offV, &off) || !getNumber(env, strideV, &st))
    return false;
  if (off < 0 || (st != 0 && st != 1)) return false;
  const size_t last = size_t(off) + (st == 1 ? n : 1);
  if (last > arr.length) return false;
  const size_t bytes = dtype == 0 ? 4 : 8;
  *at = static_cast<const char*>(arr.data) + size_t(off) * bytes;
  *stride = size_t(st);
  return true;
}

// binaryForward(op, n, out, outOff, a, aOff, aStride, b, bOff, bStride, params) and
// binaryBackward(op, wrtA, n, out, outOff, dy, a, aOff, aStride, b, bOff, bStride, params)
// → boolean: one row of a broadcast binary op (see BinaryRowFwdFn); dy has out's layout.
napi_value BinaryRow(napi_env env, napi_callback_info info, bool backward) {
  size_t argc = 13;
  napi_value argv[13];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < (backward ? 13u : 11u)) return boolean(env, false);
  BinaryRowJob j{};
  double op, n, outOff;
  bool wrtA = true;
  if (backward && napi_get_value_bool(env, argv[1], &wrtA) != napi_ok) return boolean(env, false);
  // The backward has wrtA after op and dy after outOff: the shared arguments shift by k.
  const int k = backward ? 1 : 0;
  Array out;
  if (!getNumber(env, argv[0], &op) || !getNumber(env, argv[1 + k], &n) || !getArray(env, argv[2 + k], &out) ||
      !getNumber(env, argv[3 + k], &outOff))
    return boolean(env, false);
  if (op < 0 || op >= gTable->nbinary || out.dtype < 0 || n < 0 || outOff < 0 ||
      size_t(outOff) + size_t(n) > out.length)
    return boolean(env, false);
  j.e = &gTable->binary[int(op)];
  j.dtype = out.dtype;
  j.n = size_t(n);
  j.backward = backward;
  j.wrtA = wrtA;
  const size_t bytes = j.dtype == 0 ? 4 : 8;
  j.out = static_cast<char*>(out.data) + size_t(outOff) * bytes;
  const int base = 4 + 2 * k;  // first operand argument
  if (backward) {
    Array dy;
    if (!getArray(env, argv[5], &dy) || !dy.present || dy.dtype != j.dtype ||
        size_t(outOff) + j.n > dy.length)
      return boolean(env, false);
    j.dy = static_cast<const char*>(dy.data) + size_t(outOff) * bytes;
  }
  if (!rowOperand(env, argv[base], argv[base + 1], argv[base + 2], j.dtype, j.n, &j.a, &j.aStride) ||
      !rowOperand(env, argv[base + 3], argv[base + 4], argv[base + 5], j.dtype, j.n, &j.b, &j.bStride) ||
      !getParams(env, argv[base + 6], j.p, j.e->nparams))
    return boolean(env, false);
  const bool present = backward ? (wrtA ? j.e->rowBwdA : j.e->rowBwdB)[j.dtype] != nullptr
                                : j.e->rowFwd[j.dtype] != nullptr;
  if (!present) return boolean(env, false);
  gPool.run(partsFor(j.n, j.n), runBinaryRowPart, &j);
  return boolean(env, true);
}

napi_value BinaryForward(napi_env env, napi_callback_info info) {
  return BinaryRow(env, info, false);
}
napi_value BinaryBackward(napi_env env, napi_callback_info info) {
  return BinaryRow(env, info, true);
}

napi_value BinaryOpNames(napi_env env, napi_callback_info) {
  napi_value arr;
  napi_create_array_with_length(env, size_t(gTable->nbinary), &arr);
  for (int i = 0; i < gTable->nbinary; i++) {
    napi_value s;
    napi_create_string_utf8(env, gTable->binary[i].name, NAPI_AUTO_LENGTH, &s);
    napi_set_element(env, arr, uint32_t(i), s);
  }
  return arr;
}

struct SoftmaxJob {
  bool log, backward;
  int dtype;
  size_t outer, size, inner;
  void* out;
  const void *a, *b;
  double scale;
};

void runSoftmaxPart(void* ctx, int part, int parts) {
  auto* j = static_cast<SoftmaxJob*>(ctx);
  size_t lo, hi;
  chunk(j->outer, part, parts, 1, &lo, &hi);
  if (lo >= hi) return;
  if (j->backward)
    gTable->softmaxBwd[j->dtype](j->log, lo, hi, j->size, j->inner, j->out, j->a, j->b, j->scale);
  else
    gTable->softmaxFwd[j->dtype](j->log, lo, hi, j->size, j->inner, j->out, j->a, j->scale);
}

// softmaxForward(log, outer, size, inner, out, x, scale) and
// softmaxBackward(log, outer, size, inner, dx, dy, y, scale) → boolean
napi_value Softmax(napi_env env, napi_callback_info info, bool backward) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  const size_t want = backward ? 8 : 7;
  bool log = false;
  double outer, size, inner, scale;
  Array out, a, b;
  if (argc < want || napi_get_value_bool(env, argv[0], &log) != napi_ok ||
      !getNumber(env, argv[1], &outer) || !getNumber(env, argv[2], &size) ||
      !getNumber(env, argv[3], &inner) || !getArray(env, argv[4], &out) ||
      !getArray(env, argv[5], &a) || (backward && !getArray(env, argv[6], &b)) ||
      !getNumber(env, argv[want - 1], &scale))
    return boolean(env, false);
  const size_t total = size_t(outer) * size_t(size) * size_t(inner);
  if (out.dtype < 0 || a.dtype != out.dtype || (backward && b.dtype != out.dtype) ||
      total > out.length || total > a.length || (backward && total > b.length))
    return boolean(env, false);
  if (total == 0) return boolean(env, true);
  SoftmaxJob j{log, backward, out.dtype, size_t(outer), size_t(size), size_t(inner), out.data,
               a.data, b.data, scale};
  gPool.run(partsFor(total, j.outer), runSoftmaxPart, &j);
  return boolean(env, true);
}

napi_value SoftmaxForward(napi_env env, napi_callback_info info) {
  return Softmax(env, info, false);
}
napi_value SoftmaxBackward(napi_env env, napi_callback_info info) {
  return Softmax(env, info, true);
}

// ---- cross-entropy (class-index targets, any inner) -----------------------------------

struct CrossEntropyJob {
  bool backward;
  int dtype;
  size_t outer, C, inner;
  const void* x;
  const int32_t* target;
  const void* weight;
  int32_t ignoreIndex;
  double eps;
  void* loss;
  double* lse;
  const void* grad;
  size_t gradStride;
  double divisor;
  void* dx;
  double partial[256];
};

void runCrossEntropyPart(void* ctx, int part, int parts) {
  auto* j = static_cast<CrossEntropyJob*>(ctx);
  size_t lo, hi;
  chunk(j->outer, part, parts, 1, &lo, &hi);
  j->partial[part] = 0;
  if (lo >= hi) return;
  if (j->backward)
    gTable->ceBwd[j->dtype](lo, hi, j->C, j->inner, j->x, j->target, j->weight, j->ignoreIndex,
                            j->eps, j->lse, j->grad, j->gradStride, j->divisor, j->dx);
  else
    j->partial[part] = gTable->ceFwd[j->dtype](lo, hi, j->C, j->inner, j->x, j->target,
                                               j->weight, j->ignoreIndex, j->eps, j->loss, j->lse);
}

/** Reads the arguments both directions share; false to decline. */
bool crossEntropyCommon(napi_env env, napi_value* argv, CrossEntropyJob* j, Array* x) {
  double outer, C, inner, ignore, eps;
  Array target, weight;
  if (!getNumber(env, argv[0], &outer) || !getNumber(env, argv[1], &C) ||
      !getNumber(env, argv[2], &inner) || !getArray(env, argv[3], x) ||
      !getArray(env, argv[4], &target) || !getArray(env, argv[5], &weight) ||
      !getNumber(env, argv[6], &ignore) || !getNumber(env, argv[7], &eps))
    return false;
  if (inner < 1 || x->dtype < 0 || C < 1 || outer < 0) return false;
  const size_t positions = size_t(outer) * size_t(inner);
  if (!target.present || target.type != napi_int32_array || target.length < positions)
    return false;
  if (weight.present && (weight.dtype != x->dtype || weight.length < size_t(C))) return false;
  if (x->length < positions * size_t(C)) return false;
  j->dtype = x->dtype;
  j->outer = size_t(outer);
  j->C = size_t(C);
  j->inner = size_t(inner);
  j->x = x->data;
  j->target = static_cast<const int32_t*>(target.data);
  j->weight = weight.present ? weight.data : nullptr;
  j->ignoreIndex = int32_t(ignore);
  j->eps = eps;
  return true;
}

int partsForRows(size_t outer, size_t C) {
  return std::min(partsFor(outer * C, outer), 256);
}

// crossEntropyForward(outer, C, inner, x, target, weight, ignoreIndex, eps, loss, lse) → total weight | false
napi_value CrossEntropyForward(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  CrossEntropyJob j{};
  Array x, loss, lse;
  if (argc < 10 || !crossEntropyCommon(env, argv, &j, &x) || !getArray(env, argv[8], &loss) ||
      !getArray(env, argv[9], &lse) || loss.dtype != x.dtype || lse.dtype != 1 ||
      loss.length < j.outer * j.inner || lse.length < j.outer * j.inner)
    return boolean(env, false);
  j.loss = loss.data;
  j.lse = static_cast<double*>(lse.data);
  const int parts = partsForRows(j.outer, j.C * j.inner);
  gPool.run(parts, runCrossEntropyPart, &j);
  return sumOfParts(env, j.partial, parts);
}

// crossEntropyBackward(outer, C, inner, x, target, weight, ignoreIndex, eps, lse, grad,
//                      gradStride, divisor, dx) → boolean
napi_value CrossEntropyBackward(napi_env env, napi_callback_info info) {
  size_t argc = 13;
  napi_value argv[13];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  CrossEntropyJob j{};
  Array x, lse, grad, dx;
  double stride, divisor;
  if (argc < 13 || !crossEntropyCommon(env, argv, &j, &x) || !getArray(env, argv[8], &lse) ||
      !getArray(env, argv[9], &grad) || !getNumber(env, argv[10], &stride) ||
      !getNumber(env, argv[11], &divisor) || !getArray(env, argv[12], &dx))
    return boolean(env, false);
  const size_t positions = j.outer * j.inner;
  if (lse.dtype != 1 || lse.length < positions || grad.dtype != x.dtype ||
      dx.dtype != x.dtype || dx.length < positions * j.C || (stride != 0 && stride != 1) ||
      grad.length < (stride == 0 ? 1 : positions))
    return boolean(env, false);
  j.backward = true;
  j.lse = static_cast<double*>(lse.data);
  j.grad = grad.data;
  j.gradStride = size_t(stride);
  j.divisor = divisor;
  j.dx = dx.data;
  gPool.run(partsForRows(j.outer, j.C * j.inner), runCrossEntropyPart, &j);
  return boolean(env, true);
}

// ---- negative log-likelihood (any inner) ------------------------------------------

struct NllJob {
  bool backward;
  int dtype;
  size_t outer, C, inner;
  const void* x;
  const int32_t* target;
  const void* weight;
  int32_t ignoreIndex;
  void* loss;
  const void* grad;
  size_t gradStride;
  double divisor;
  void* dx;
  double partial[256];
};

void runNllPart(void* ctx, int part, int parts) {
  auto* j = static_cast<NllJob*>(ctx);
  size_t lo, hi;
  chunk(j->outer, part, parts, 1, &lo, &hi);
  j->partial[part] = 0;
  if (lo >= hi) return;
  if (j->backward)
    gTable->nllBwd[j->dtype](lo, hi, j->C, j->inner, j->target, j->weight, j->ignoreIndex,
                             j->grad, j->gradStride, j->divisor, j->dx);
  else
    j->partial[part] = gTable->nllFwd[j->dtype](lo, hi, j->C, j->inner, j->x, j->target,
                                                j->weight, j->ignoreIndex, j->loss);
}

/** True when `d` is a whole number in [lo, hi]. */
inline bool isIndex(double d, double lo, double hi) {
  return d >= lo && d <= hi && d == double(int64_t(d));
}

/**
 * Reads outer, C, inner, target, weight and ignoreIndex (at argv[0..2],
 * argv[t], argv[t+1], argv[t+2]); dtype is the float dtype the weight must
 * have. Every target must lie in [0, C) or equal ignoreIndex (the kernels
 * index with it), else false to decline.
 */
bool nllCommon(napi_env env, napi_value* argv, size_t t, int dtype, NllJob* j) {
  double outer, C, inner, ignore;
  Array target, weight;
  if (!getNumber(env, argv[0], &outer) || !getNumber(env, argv[1], &C) ||
      !getNumber(env, argv[2], &inner) || !getArray(env, argv[t], &target) ||
      !getArray(env, argv[t + 1], &weight) || !getNumber(env, argv[t + 2], &ignore))
    return false;
  if (dtype < 0 || !isIndex(outer, 0, 9e15) || !isIndex(C, 1, 2147483647.0) ||
      !isIndex(inner, 1, 9e15) || !isIndex(ignore, -2147483648.0, 2147483647.0))
    return false;
  const size_t positions = size_t(outer) * size_t(inner);
  if (!target.present || target.type != napi_int32_array || target.length < positions)
    return false;
  if (weight.present && (weight.dtype != dtype || weight.length < size_t(C))) return false;
  const int32_t* tg = static_cast<const int32_t*>(target.data);
  const int32_t ig = int32_t(ignore), classes = int32_t(C);
  for (size_t p = 0; p < positions; p++)
    if (tg[p] != ig && (tg[p] < 0 || tg[p] >= classes)) return false;
  j->dtype = dtype;
  j->outer = size_t(outer);
  j->C = size_t(C);
  j->inner = size_t(inner);
  j->target = tg;
  j->weight = weight.present ? weight.data : nullptr;
  j->ignoreIndex = ig;
  return true;
}

// nllForward(outer, C, inner, x, target, weight, ignoreIndex, loss) → total weight | false
napi_value NllForward(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  NllJob j{};
  Array x, loss;
  if (argc < 8 || !getArray(env, argv[3], &x) || !getArray(env, argv[7], &loss) ||
      !nllCommon(env, argv, 4, x.dtype, &j))
    return boolean(env, false);
  const size_t positions = j.outer * j.inner;
  if (loss.dtype != x.dtype || loss.length < positions || x.length < positions * j.C)
    return boolean(env, false);
  j.x = x.data;
  j.loss = loss.data;
  const int parts = std::min(partsFor(positions, j.outer), 256);
  gPool.run(parts, runNllPart, &j);
  return sumOfParts(env, j.partial, parts);
}

// nllBackward(outer, C, inner, target, weight, ignoreIndex, grad, gradStride, divisor, dx) → boolean
napi_value NllBackward(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  NllJob j{};
  Array grad, dx;
  double stride, divisor;
  if (argc < 10 || !getArray(env, argv[9], &dx) || !getArray(env, argv[6], &grad) ||
      !getNumber(env, argv[7], &stride) || !getNumber(env, argv[8], &divisor) ||
      !nllCommon(env, argv, 3, dx.dtype, &j))
    return boolean(env, false);
  const size_t positions = j.outer * j.inner;
  if (grad.dtype != dx.dtype || dx.length < positions * j.C || (stride != 0 && stride != 1) ||
      grad.length < (stride == 0 ? 1 : positions))
    return boolean(env, false);
  j.backward = true;
  j.grad = grad.data;
  j.gradStride = size_t(stride);
  j.divisor = divisor;
  j.dx = dx.data;
  gPool.run(std::min(partsFor(positions, j.outer), 256), runNllPart, &j);
  return boolean(env, true);
}

// ---- cross-entropy with class-probability targets (inner = 1) ------------------------

struct CrossEntropyProbJob {
  bool backward;
  int dtype;
  size_t outer, C, inner;
  const void *x, *target, *weight;
  double eps;
  void* loss;
  double* lse;
  const void* grad;
  size_t gradStride;
  double divisor;
  void *dx, *dtarget;
};

void runCrossEntropyProbPart(void* ctx, int part, int parts) {
  auto* j = static_cast<CrossEntropyProbJob*>(ctx);
  size_t lo, hi;
  chunk(j->outer, part, parts, 1, &lo, &hi);
  if (lo >= hi) return;
  if (j->backward)
    gTable->ceProbBwd[j->dtype](lo, hi, j->C, j->inner, j->x, j->target, j->weight, j->eps,
                                j->lse, j->grad, j->gradStride, j->divisor, j->dx, j->dtarget);
  else
    gTable->ceProbFwd[j->dtype](lo, hi, j->C, j->inner, j->x, j->target, j->weight, j->eps,
                                j->loss, j->lse);
}

/** Reads outer, C, inner, x, target, weight, eps (argv[0..6]); false to decline. */
bool crossEntropyProbCommon(napi_env env, napi_value* argv, CrossEntropyProbJob* j) {
  double outer, C, inner, eps;
  Array x, target, weight;
  if (!getNumber(env, argv[0], &outer) || !getNumber(env, argv[1], &C) ||
      !getNumber(env, argv[2], &inner) || !getArray(env, argv[3], &x) ||
      !getArray(env, argv[4], &target) || !getArray(env, argv[5], &weight) ||
      !getNumber(env, argv[6], &eps))
    return false;
  if (x.dtype < 0 || !isIndex(outer, 0, 9e15) || !isIndex(C, 1, 9e15) || !isIndex(inner, 1, 9e15))
    return false;
  const size_t total = size_t(outer) * size_t(C) * size_t(inner);
  if (x.length < total || target.dtype != x.dtype || target.length < total) return false;
  if (weight.present && (weight.dtype != x.dtype || weight.length < size_t(C))) return false;
  j->dtype = x.dtype;
  j->outer = size_t(outer);
  j->C = size_t(C);
  j->inner = size_t(inner);
  j->x = x.data;
  j->target = target.data;
  j->weight = weight.present ? weight.data : nullptr;
  j->eps = eps;
  return true;
}

// crossEntropyProbForward(outer, C, inner, x, target, weight, eps, loss, lse) → boolean
napi_value CrossEntropyProbForward(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  CrossEntropyProbJob j{};
  Array loss, lse;
  if (argc < 9 || !crossEntropyProbCommon(env, argv, &j) || !getArray(env, argv[7], &loss) ||
      !getArray(env, argv[8], &lse) || loss.dtype != j.dtype || lse.dtype != 1 ||
      loss.length < j.outer * j.inner || lse.length < j.outer * j.inner)
    return boolean(env, false);
  j.loss = loss.data;
  j.lse = static_cast<double*>(lse.data);
  gPool.run(partsForRows(j.outer, j.C * j.inner), runCrossEntropyProbPart, &j);
  return boolean(env, true);
}

// crossEntropyProbBackward(outer, C, inner, x, target, weight, eps, lse, grad, gradStride,
//                          divisor, dx | null, dtarget | null) → boolean
napi_value CrossEntropyProbBackward(napi_env env, napi_callback_info info) {
  size_t argc = 13;
  napi_value argv[13];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  CrossEntropyProbJob j{};
  Array lse, grad, dx, dt;
  double stride, divisor;
  if (argc < 13 || !crossEntropyProbCommon(env, argv, &j) || !getArray(env, argv[7], &lse) ||
      !getArray(env, argv[8], &grad) || !getNumber(env, argv[9], &stride) ||
      !getNumber(env, argv[10], &divisor) || !getArray(env, argv[11], &dx) ||
      !getArray(env, argv[12], &dt))
    return boolean(env, false);
  const size_t positions = j.outer * j.inner, total = positions * j.C;
  if (lse.dtype != 1 || lse.length < positions || grad.dtype != j.dtype ||
      (stride != 0 && stride != 1) || grad.length < (stride == 0 ? 1 : positions) ||
      (dx.present && (dx.dtype != j.dtype || dx.length < total)) ||
      (dt.present && (dt.dtype != j.dtype || dt.length < total)))
    return boolean(env, false);
  j.backward = true;
  j.lse = static_cast<double*>(lse.data);
  j.grad = grad.data;
  j.gradStride = size_t(stride);
  j.divisor = divisor;
  j.dx = dx.present ? dx.data : nullptr;
  j.dtarget = dt.present ? dt.data : nullptr;
  gPool.run(partsForRows(j.outer, j.C * j.inner), runCrossEntropyProbPart, &j);
  return boolean(env, true);
}

// ---- reductions over one dimension ---------------------------------------------

struct ReduceJob {
  int kind, dtype;
  size_t outer, size, inner;
  const void* x;
  void* out;
  double partial[256];
  bool has[256];  // whether the part's span was non-empty
};

// Three splits: by outer rows, by inner columns (outer = 1), or one row
// (outer = inner = 1) cut into spans whose partial results are combined in order.
void runReduceOuter(void* ctx, int part, int parts) {
  auto* j = static_cast<ReduceJob*>(ctx);
  size_t lo, hi;
  chunk(j->outer, part, parts, 1, &lo, &hi);
  if (lo < hi)
    gTable->reduceStrided[j->dtype](j->kind, lo, hi, j->size, j->inner, 0, j->inner, j->x,
                                    j->out);
}
void runReduceInner(void* ctx, int part, int parts) {
  auto* j = static_cast<ReduceJob*>(ctx);
  size_t lo, hi;
  chunk(j->inner, part, parts, 16, &lo, &hi);
  if (lo < hi)
    gTable->reduceStrided[j->dtype](j->kind, 0, 1, j->size, j->inner, lo, hi, j->x, j->out);
}
void runReduceSpan(void* ctx, int part, int parts) {
  auto* j = static_cast<ReduceJob*>(ctx);
  size_t lo, hi;
  chunk(j->size, part, parts, 16, &lo, &hi);
  j->has[part] = lo < hi;
  j->partial[part] = lo < hi ? gTable->reduceSpan[j->dtype](j->kind, j->x, lo, hi) : 0;
}

// reduceDim(kind, outer, size, inner, x, out) → boolean: out[outer × inner] =
// Σ (kind 0), max (1) or min (2) over size; size ≥ 1 for max and min.
napi_value ReduceDim(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  double kind, outer, size, inner;
  Array x, out;
  if (argc < 6 || !getNumber(env, argv[0], &kind) || !getNumber(env, argv[1], &outer) ||
      !getNumber(env, argv[2], &size) || !getNumber(env, argv[3], &inner) ||
      !getArray(env, argv[4], &x) || !getArray(env, argv[5], &out))
    return boolean(env, false);
  if (!(kind == 0 || kind == 1 || kind == 2) || !isIndex(outer, 0, 9e15) ||
      !isIndex(size, kind == 0 ? 0 : 1, 9e15) || !isIndex(inner, 1, 9e15) || x.dtype < 0 ||
      out.dtype != x.dtype)
    return boolean(env, false);
  ReduceJob j{};
  j.kind = int(kind);
  j.dtype = x.dtype;
  j.outer = size_t(outer);
  j.size = size_t(size);
  j.inner = size_t(inner);
  if (x.length < j.outer * j.size * j.inner || out.length < j.outer * j.inner)
    return boolean(env, false);
  j.x = x.data;
  j.out = out.data;
  const size_t work = j.outer * j.size * j.inner;
  if (work == 0) {
    // Sums over an empty dimension are zero.
    std::memset(j.out, 0, j.outer * j.inner * (j.dtype == 0 ? 4 : 8));
  } else if (j.outer >= 2) {
    gPool.run(std::min(partsFor(work, j.outer), 256), runReduceOuter, &j);
  } else if (j.inner >= 2) {
    gPool.run(std::min(partsFor(work, j.inner), 256), runReduceInner, &j);
  } else {
    const int parts = std::min(partsFor(work, j.size), 256);
    gPool.run(parts, runReduceSpan, &j);
    double r = j.partial[0];
    for (int p = 1; p < parts; p++) {
      if (!j.has[p]) continue;
      const double v = j.partial[p];
      if (j.kind == 0) r += v;
      else if (v != v || r != r) r = r != r ? r : v;
      else r = j.kind == 1 ? std::max(r, v) : std::min(r, v);
    }
    if (j.dtype == 0)
      *static_cast<float*>(j.out) = float(r);
    else
      *static_cast<double*>(j.out) = r;
  }
  return boolean(env, true);
}

// ---- matrix product ------------------------------------------------------------

struct GemmJob {
  nnkit::GemmFn fn;
  size_t m, k, n;
  const void *a, *b;
  void* c;
  bool byRows, transA, transB;
};

void runGemmPart(void* ctx, int part, int parts) {
  auto* j = static_cast<GemmJob*>(ctx);
  size_t lo, hi;
  if (j->byRows)
    chunk(j->m, part, parts, 1, &lo, &hi);
  else
    chunk(j->n, part, parts, 16, &lo, &hi);
  if (lo >= hi) return;
  // The packed panel of B: a private, 32-byte-aligned buffer per thread, kept
  // between calls (allocating and zeroing 256 KB per call dominated small products).
  thread_local std::vector<double> work(nnkit::kGemmWorkBytes / sizeof(double) + 4);
  void* buf = reinterpret_cast<void*>((reinterpret_cast<uintptr_t>(work.data()) + 31) &
                                      ~uintptr_t(31));
  if (j->byRows)
    j->fn(lo, hi, 0, j->n, j->m, j->k, j->n, j->a, j->b, j->c, buf, j->transA, j->transB);
  else
    j->fn(0, j->m, lo, hi, j->m, j->k, j->n, j->a, j->b, j->c, buf, j->transA, j->transB);
}

// matmul(m, k, n, a, b, c, transA?, transB?) → boolean: C[m×n] = op(A) · op(B),
// all of one dtype; op(A) is A[m×k] or, with transA, the transpose of a [k×m]
// array (likewise B: [k×n], or [n×k] with transB).
napi_value Matmul(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  double m, k, n;
  Array a, b, c;
  bool transA = false, transB = false;
  if (argc < 6 || !getNumber(env, argv[0], &m) || !getNumber(env, argv[1], &k) ||
      !getNumber(env, argv[2], &n) || !getArray(env, argv[3], &a) ||
      !getArray(env, argv[4], &b) || !getArray(env, argv[5], &c))
    return boolean(env, false);
  if ((argc > 6 && napi_get_value_bool(env, argv[6], &transA) != napi_ok) ||
      (argc > 7 && napi_get_value_bool(env, argv[7], &transB) != napi_ok))
    return boolean(env, false);
  const double kMaxDim = 9007199254740991.0;
  if (!(m >= 0 && k >= 0 && n >= 0 && m <= kMaxDim && k <= kMaxDim && n <= kMaxDim) ||
      m != double(size_t(m)) || k != double(size_t(k)) || n != double(size_t(n)))
    return boolean(env, false);
  if (c.dtype < 0 || a.dtype != c.dtype || b.dtype != c.dtype) return boolean(env, false);
  const size_t M = size_t(m), K = size_t(k), N = size_t(n);
  // Products (checked against overflow by dividing back) must fit the arrays.
  auto fits = [](size_t x, size_t y, size_t len) { return x == 0 || y <= len / x; };
  if (!fits(M, K, a.length) || !fits(K, N, b.length) || !fits(M, N, c.length))
    return boolean(env, false);
  if (M == 0 || N == 0) return boolean(env, true);
  GemmJob j{};
  j.fn = gTable->gemm[c.dtype];
  j.m = M;
  j.k = K;
  j.n = N;
  j.a = a.data;
  j.b = b.data;
  j.c = c.data;
  j.transA = transA;
  j.transB = transB;
  j.byRows = true;
  int parts = 1;
  const int threads = gPool.threads();
  const double flops = double(M) * double(N) * double(K);
  if (threads > 1 && flops >= double(1 << 20)) {
    // Rows when each thread gets a few register tiles' worth; else 16-column strips.
    const size_t strips = (N + 15) / 16;
    j.byRows = M >= size_t(threads) * 16 || M >= strips;
    parts = int(std::min<size_t>(threads, j.byRows ? M : strips));
  }
  gPool.run(parts, runGemmPart, &j);
  return boolean(env, true);
}

napi_value SetNumThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  double n = 1;
  if (argc >= 1) getNumber(env, argv[0], &n);
  int t = n < 1 ? 1 : n > 256 ? 256 : int(n);
  if (t != gPool.threads()) gPool.resize(t);
  return nullptr;
}

napi_value GetNumThreads(napi_env env, napi_callback_info) {
  napi_value r;
  napi_create_int32(env, gPool.threads(), &r);
  return r;
}

napi_value OpNames(napi_env env, napi_callback_info) {
  napi_value arr;
  napi_create_array_with_length(env, size_t(gTable->nunary), &arr);
  for (int i = 0; i < gTable->nunary; i++) {
    napi_value s;
    napi_create_string_utf8(env, gTable->unary[i].name, NAPI_AUTO_LENGTH, &s);
    napi_set_element(env, arr, uint32_t(i), s);
  }
  return arr;
}

// math(which, out, x): one elementary function over a whole array (tests only).
napi_value Math(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  double which;
  Array out, x;
  if (argc < 3 || !getNumber(env, argv[0], &which) || !getArray(env, argv[1], &out) ||
      !getArray(env, argv[2], &x) || out.dtype < 0 || x.dtype != out.dtype ||
      x.length > out.length)
    return boolean(env, false);
  gTable->math[out.dtype](int(which), x.length, out.data, x.data);
  return boolean(env, true);
}

napi_value Isa(napi_env env, napi_callback_info) {
  napi_value s;
  napi_create_string_utf8(env, gTable->isa, NAPI_AUTO_LENGTH, &s);
  return s;
}

// useIsa('avx2' | 'baseline') → boolean: for tests that compare the two builds.
napi_value UseIsa(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  char buf[16] = {0};
  size_t len = 0;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], buf, sizeof buf, &len) != napi_ok)
    return boolean(env, false);
  if (strcmp(buf, "baseline") == 0) {
    gTable = nnkit::tableBaseline();
    return boolean(env, true);
  }
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  if (strcmp(buf, "avx2") == 0 && nnkit::tableAvx2() && __builtin_cpu_supports("avx2") &&
      __builtin_cpu_supports("fma")) {
    gTable = nnkit::tableAvx2();
    return boolean(env, true);
  }
#endif
  return boolean(env, false);
}

const nnkit::KernelTable* bestTable() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  if (nnkit::tableAvx2() && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return nnkit::tableAvx2();
#endif
  return nnkit::tableBaseline();
}

// Tensor storage is V8-owned memory obtained from glibc's malloc. By default
// glibc maps large blocks freshly with mmap and unmaps them on free, so every
// new tensor pays a page fault per 4 KB on first touch — measured here at
// 8 ms for a 16 MB tensor, ten times the relu kernel. Serving blocks up to
// 32 MB (glibc's maximum) from the heap and keeping up to 256 MB of freed
// memory lets tensors reuse warm pages, as PyTorch's allocator does.
// NNKIT_MALLOPT=0 in the environment keeps glibc's defaults.
void tuneMalloc() {
#if defined(__GLIBC__)
  const char* env = std::getenv("NNKIT_MALLOPT");
  if (env && env[0] == '0') return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

napi_value Init(napi_env env, napi_value exports) {
  if (!gTable) {
    gTable = bestTable();
    tuneMalloc();
  }
  const napi_property_descriptor props[] = {
      {"unaryForward", nullptr, UnaryForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unaryBackward", nullptr, UnaryBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmaxForward", nullptr, SoftmaxForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmaxBackward", nullptr, SoftmaxBackward, nullptr, nullptr, nullptr, napi_default,
       nullptr},
      {"setNumThreads", nullptr, SetNumThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"getNumThreads", nullptr, GetNumThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"opNames", nullptr, OpNames, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"crossEntropyForward", nullptr, CrossEntropyForward, nullptr, nullptr, nullptr,
       napi_default, nullptr},
      {"crossEntropyBackward", nullptr, CrossEntropyBackward, nullptr, nullptr, nullptr,
       napi_default, nullptr},
      {"nllForward", nullptr, NllForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"nllBackward", nullptr, NllBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"crossEntropyProbForward", nullptr, CrossEntropyProbForward, nullptr, nullptr, nullptr,
       napi_default, nullptr},
      {"crossEntropyProbBackward", nullptr, CrossEntropyProbBackward, nullptr, nullptr, nullptr,
       napi_default, nullptr},
      {"binarySum", nullptr, BinarySum, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binaryBackwardScaled", nullptr, BinaryBackwardScaled, nullptr, nullptr, nullptr,
       napi_default, nullptr},
      {"binaryOpNames", nullptr, BinaryOpNames, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binaryForward", nullptr, BinaryForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binaryBackward", nullptr, BinaryBackward, nullptr, nullptr, nullptr, napi_default,
       nullptr},
      {"matmul", nullptr, Matmul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reduceDim", nullptr, ReduceDim, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"math", nullptr, Math, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"isa", nullptr, Isa, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"useIsa", nullptr, UseIsa, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
