// The optimizer kernels' shared parts, included by addon.cc inside its
// anonymous namespace after the thread pool and the argument helpers (the
// N-API functions themselves are generated: optim_bindings.generated.h).

/**
 * A list's entries as JavaScript values: a JavaScript array of at least
 * `count` values, when `read` (a list the flags leave unused is not looked
 * at: no entries). Reading an element may run JavaScript (a getter, a
 * proxy), which could detach a typed array read earlier: so every list's
 * entries are fetched first, and only then are their memory and lengths
 * taken (readArrayList), which runs none.
 */
bool readListValues(napi_env env, const char* k, const char* name, napi_value v, size_t count,
                    bool read, std::vector<napi_value>* values) {
  values->clear();
  if (!read) return true;
  bool isArray = false;
  uint32_t len = 0;
  if (napi_is_array(env, v, &isArray) != napi_ok || !isArray ||
      napi_get_array_length(env, v, &len) != napi_ok || len < count)
    return kernelArgsError(env, k, name, "an array holding a float array per tensor");
  values->resize(count);
  for (size_t t = 0; t < count; t++)
    if (napi_get_element(env, v, uint32_t(t), &(*values)[t]) != napi_ok)
      return kernelArgsError(env, k, name, "an array holding a float array per tensor");
  return true;
}

/**
 * The memory and length of each entry fetched by readListValues: all
 * Float32Arrays or all Float64Arrays (dtype 0 or 1; −1 for a list not read).
 * Throws (returns false) otherwise.
 */
bool readArrayList(napi_env env, const char* k, const char* name,
                   const std::vector<napi_value>& values, std::vector<void*>* data,
                   std::vector<size_t>* lengths, int* dtype) {
  data->assign(values.size(), nullptr);
  lengths->assign(values.size(), 0);
  *dtype = -1;
  for (size_t t = 0; t < values.size(); t++) {
    int d;
    if (!readArray(env, k, name, values[t], false, &(*data)[t], &d, &(*lengths)[t])) return false;
    if (d != 0 && d != 1) return kernelArgsError(env, k, name, "a list of float arrays");
    if (t == 0)
      *dtype = d;
    else if (d != *dtype)
      return kernelArgsError(env, k, name, "a list of float arrays of one dtype");
  }
  return true;
}

/**
 * The optimizer loops of the instruction set in use (that of gTable): the
 * AVX2 loops for the 'avx2' and 'avx512' tables (the latter differs only in
 * its matrix product).
 */
const nnkit::OptimTable* optimTable() {
  const nnkit::OptimTable* avx2 = nnkit::optimTableAvx2();
  return avx2 && gTable != nnkit::tableBaseline() ? avx2 : nnkit::optimTableBaseline();
}

/**
 * One fused step over a group. Each part takes the same share of every
 * tensor (part p of P: the p-th P-th of each, in 16-element blocks), not a
 * range of the tensors' concatenation, so that with two threads each thread
 * updates the halves of the weights that it reads and writes in the products.
 * runGemm splits an output along its longer side, so x·wᵀ splits w [n×k] by
 * its rows when n exceeds the batch, and the weight gradient gᵀ·x when n ≥ k
 * (in bench:train b, every product but the 784-wide input layer's gradient);
 * the pool gives part p to the same thread every step unless the other one
 * takes it over.
 *
 * Why it matters: on the 2-vCPU development VM, reading data that the other
 * vCPU has just written runs at 27–37 GB/s against 71–97 for a thread's own
 * writes (1–16 MB; bench/vcpu-bandwidth.cc). With the concatenation split,
 * bench:train b's second weight (512×512) was updated entirely by the second
 * thread while each thread's products wrote and read half of it. Alternating
 * processes, 2 threads, b: Adam's step 0.27–0.32 → 0.22–0.28 ms, the whole step's
 * median −4 to −8 % (bench/train/phases.ts, five pairs); d-adaptive and e
 * within noise. Each element's update is the same arithmetic either way: results
 * are bit-identical.
 */
struct OptimJob {
  nnkit::OptimLoopFn fn;
  size_t tensors;
  const size_t* sizes;
  const std::vector<void*>* const* lists;  // null: unused by the flags
  int nlists;
  const double* scalars;
};

constexpr int kOptimMaxLists = 8;

void runOptimPart(void* ctx, int part, int parts) {
  const auto* j = static_cast<const OptimJob*>(ctx);
  void* arrays[kOptimMaxLists];
  for (size_t t = 0; t < j->tensors; t++) {
    size_t lo, hi;
    chunk(j->sizes[t], part, parts, 16, &lo, &hi);
    if (lo >= hi) continue;
    for (int k = 0; k < j->nlists; k++) arrays[k] = j->lists[k] ? (*j->lists[k])[t] : nullptr;
    j->fn(lo, hi, arrays, j->scalars);
  }
}

/** Runs `fn` over every element of the group's tensors, on the pool when it is large. */
void runOptimStep(nnkit::OptimLoopFn fn, size_t tensors, const std::vector<size_t>& sizes,
                  const std::vector<void*>* const* lists, int nlists, const double* scalars) {
  size_t total = 0;
  for (size_t t = 0; t < tensors; t++) total += sizes[t];
  OptimJob j{fn, tensors, sizes.data(), lists, std::min(nlists, kOptimMaxLists), scalars};
  gPool.run(partsForElementwise(total, 4), runOptimPart, &j);
}
