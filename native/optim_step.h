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

/** One fused step over a group: its tensors' elements, concatenated, split between threads. */
struct OptimJob {
  nnkit::OptimLoopFn fn;
  size_t tensors;
  const size_t* sizes;
  const std::vector<void*>* const* lists;  // null: unused by the flags
  int nlists;
  const double* scalars;
  size_t total;
};

constexpr int kOptimMaxLists = 8;

/** Elements [lo, hi) of the concatenation: the overlapping part of each tensor. */
void runOptimRange(const OptimJob& j, size_t lo, size_t hi) {
  void* arrays[kOptimMaxLists];
  size_t start = 0;
  for (size_t t = 0; t < j.tensors && start < hi; t++) {
    const size_t n = j.sizes[t];
    const size_t a = std::max(lo, start), b = std::min(hi, start + n);
    if (a < b) {
      for (int k = 0; k < j.nlists; k++) arrays[k] = j.lists[k] ? (*j.lists[k])[t] : nullptr;
      j.fn(a - start, b - start, arrays, j.scalars);
    }
    start += n;
  }
}

void runOptimPart(void* ctx, int part, int parts) {
  const auto* j = static_cast<const OptimJob*>(ctx);
  size_t lo, hi;
  chunk(j->total, part, parts, 16, &lo, &hi);
  if (lo < hi) runOptimRange(*j, lo, hi);
}

/** Runs `fn` over every element of the group's tensors, on the pool when it is large. */
void runOptimStep(nnkit::OptimLoopFn fn, size_t tensors, const std::vector<size_t>& sizes,
                  const std::vector<void*>* const* lists, int nlists, const double* scalars) {
  size_t total = 0;
  for (size_t t = 0; t < tensors; t++) total += sizes[t];
  OptimJob j{fn, tensors, sizes.data(), lists, std::min(nlists, kOptimMaxLists), scalars, total};
  gPool.run(partsForElementwise(total, 4), runOptimPart, &j);
}
