/**
 * Sorting along a dimension: sort, argsort and topk, with PyTorch 1.13's
 * CPU results, tie order included.
 *
 * PyTorch 1.13's CPU kernels (aten/src/ATen/native/cpu/SortingKernel.cpp)
 * sort (value, index) pairs with the C++ standard library: `std::sort`
 * (or `std::stable_sort` with `stable=True`) for sort, and for topk
 * `std::partial_sort` when `k · 64 ≤ n`, else `std::nth_element` and (when
 * `sorted`) `std::sort` of the first `k − 1`. The order they leave equal
 * values in is that of the algorithms themselves, so {@link PairSorter}
 * follows GCC 12's libstdc++ (the build Debian's PyTorch 1.13.1 uses) step
 * by step: introsort (median of three moved to the front, unguarded
 * partition, heapsort below depth 2·⌊log₂ n⌋, insertion sort of runs of
 * 16), introselect and the binary heap. NaN compares as larger than every
 * number (PyTorch's comparators), so it comes last ascending and first
 * descending; −0 and 0 are equal.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit } from '../tensor/dtype.js';
import { normalizeDim, splitAtDim } from '../tensor/shape.js';
import { recordOp } from '../autograd/derivatives/index.js';
import type { Numbers } from '../kernels/js/types.js';

/** `a` before `b`: the keys and, for a stable order, the original indices. */
type Less = (a: number, ia: number, b: number, ib: number) => boolean;

/** PyTorch's KeyValueCompAsc: NaN is larger than everything. */
const ascending: Less = (a, _ia, b) => (a === a && b !== b) || a < b;
/** PyTorch's KeyValueCompDesc: NaN is larger than everything. */
const descending: Less = (a, _ia, b) => (a !== a && b === b) || a > b;
/** `a ≡ b` for the comparators above: equal, or both NaN. */
const tie = (a: number, b: number) => a === b || (a !== a && b !== b);
/** A strict total order (ties by index): `std::stable_sort`'s result, whatever the algorithm. */
const ascendingStable: Less = (a, ia, b, ib) => ascending(a, ia, b, ib) || (tie(a, b) && ia < ib);
const descendingStable: Less = (a, ia, b, ib) => descending(a, ia, b, ib) || (tie(a, b) && ia < ib);

function comparator(desc: boolean, stable: boolean): Less {
  if (stable) return desc ? descendingStable : ascendingStable;
  return desc ? descending : ascending;
}

/** ⌊log₂ n⌋ for n ≥ 1 (libstdc++'s `__lg`). */
function lg(n: number): number {
  return 31 - Math.clz32(n);
}

/** ⌊a / 2⌋ rounded toward zero, as C++'s integer division. */
function half(a: number): number {
  return Math.trunc(a / 2);
}

/**
 * libstdc++'s (GCC 12) std::sort, std::partial_sort and std::nth_element on
 * pairs (key `k[i]`, index `ix[i]`) with the comparator `less`, step by
 * step, so that equal keys end in the order PyTorch's kernels leave them.
 */
export class PairSorter {
  /** PyTorch's comparator, for keys that may hold NaN. */
  private readonly general: Less;

  /**
   * @param desc - Descending (PyTorch's KeyValueCompDesc) or ascending.
   * @param stable - Ties ordered by index.
   * @param nan - Whether a key may be NaN. Without NaN the comparators are
   *   plain `<` / `>` (plus the index for ties when stable), compared inline:
   *   the same order, several times faster than calling a comparator.
   */
  constructor(
    readonly k: Float64Array,
    readonly ix: Int32Array,
    private readonly desc: boolean,
    private readonly stable: boolean,
    private readonly nan: boolean,
  ) {
    this.general = comparator(desc, stable);
  }

  /** Key `v` (index `vi`) goes before key `w` (index `wi`). */
  private less(v: number, vi: number, w: number, wi: number): boolean {
    if (this.nan) return this.general(v, vi, w, wi);
    if (this.desc ? v > w : v < w) return true;
    return this.stable && v === w && vi < wi;
  }

  private lt(a: number, b: number): boolean {
    return this.less(this.k[a], this.ix[a], this.k[b], this.ix[b]);
  }

  private swap(a: number, b: number): void {
    const { k, ix } = this;
    const t = k[a];
    k[a] = k[b];
    k[b] = t;
    const u = ix[a];
    ix[a] = ix[b];
    ix[b] = u;
  }

  private move(to: number, from: number): void {
    this.k[to] = this.k[from];
    this.ix[to] = this.ix[from];
  }

  /** `std::sort(first, last)`. */
  sort(first: number, last: number): void {
    if (first === last) return;
    this.introsortLoop(first, last, lg(last - first) * 2);
    this.finalInsertionSort(first, last);
  }

  /** `std::partial_sort(first, middle, last)`: the smallest `middle − first`, sorted, in front. */
  partialSort(first: number, middle: number, last: number): void {
    this.heapSelect(first, middle, last);
    this.sortHeap(first, middle);
  }

  /** `std::nth_element(first, nth, last)`. */
  nthElement(first: number, nth: number, last: number): void {
    if (first === last || nth === last) return;
    this.introselect(first, nth, last, lg(last - first) * 2);
  }

  private introsortLoop(first: number, last: number, depth: number): void {
    while (last - first > 16) {
      if (depth === 0) {
        this.partialSort(first, last, last);
        return;
      }
      depth--;
      const cut = this.unguardedPartitionPivot(first, last);
      this.introsortLoop(cut, last, depth);
      last = cut;
    }
  }

  private introselect(first: number, nth: number, last: number, depth: number): void {
    while (last - first > 3) {
      if (depth === 0) {
        this.heapSelect(first, nth + 1, last);
        this.swap(first, nth);
        return;
      }
      depth--;
      const cut = this.unguardedPartitionPivot(first, last);
      if (cut <= nth) first = cut;
      else last = cut;
    }
    this.insertionSort(first, last);
  }

  private unguardedPartitionPivot(first: number, last: number): number {
    const mid = first + half(last - first);
    this.moveMedianToFirst(first, first + 1, mid, last - 1);
    return this.unguardedPartition(first + 1, last, first);
  }

  private moveMedianToFirst(result: number, a: number, b: number, c: number): void {
    if (this.lt(a, b)) {
      if (this.lt(b, c)) this.swap(result, b);
      else if (this.lt(a, c)) this.swap(result, c);
      else this.swap(result, a);
    } else if (this.lt(a, c)) this.swap(result, a);
    else if (this.lt(b, c)) this.swap(result, c);
    else this.swap(result, b);
  }

  private unguardedPartition(first: number, last: number, pivot: number): number {
    for (;;) {
      while (this.lt(first, pivot)) first++;
      last--;
      while (this.lt(pivot, last)) last--;
      if (!(first < last)) return first;
      this.swap(first, last);
      first++;
    }
  }

  private finalInsertionSort(first: number, last: number): void {
    if (last - first > 16) {
      this.insertionSort(first, first + 16);
      for (let i = first + 16; i < last; i++) this.unguardedLinearInsert(i);
    } else {
      this.insertionSort(first, last);
    }
  }

  private insertionSort(first: number, last: number): void {
    if (first === last) return;
    const { k, ix } = this;
    for (let i = first + 1; i < last; i++) {
      const v = k[i];
      const vi = ix[i];
      if (this.less(v, vi, k[first], ix[first])) {
        k.copyWithin(first + 1, first, i);
        ix.copyWithin(first + 1, first, i);
        k[first] = v;
        ix[first] = vi;
      } else {
        this.unguardedLinearInsert(i);
      }
    }
  }

  private unguardedLinearInsert(last: number): void {
    const { k, ix } = this;
    const v = k[last];
    const vi = ix[last];
    let next = last - 1;
    while (this.less(v, vi, k[next], ix[next])) {
      k[last] = k[next];
      ix[last] = ix[next];
      last = next;
      next--;
    }
    k[last] = v;
    ix[last] = vi;
  }

  private heapSelect(first: number, middle: number, last: number): void {
    this.makeHeap(first, middle);
    for (let i = middle; i < last; i++) if (this.lt(i, first)) this.popHeap(first, middle, i);
  }

  private sortHeap(first: number, last: number): void {
    while (last - first > 1) {
      last--;
      this.popHeap(first, last, last);
    }
  }

  private makeHeap(first: number, last: number): void {
    const len = last - first;
    if (len < 2) return;
    for (let parent = half(len - 2); ; parent--) {
      this.adjustHeap(first, parent, len, this.k[first + parent], this.ix[first + parent]);
      if (parent === 0) return;
    }
  }

  private popHeap(first: number, last: number, result: number): void {
    const v = this.k[result];
    const vi = this.ix[result];
    this.move(result, first);
    this.adjustHeap(first, 0, last - first, v, vi);
  }

  private adjustHeap(first: number, hole: number, len: number, v: number, vi: number): void {
    const top = hole;
    let second = hole;
    while (second < half(len - 1)) {
      second = 2 * (second + 1);
      if (this.lt(first + second, first + second - 1)) second--;
      this.move(first + hole, first + second);
      hole = second;
    }
    if ((len & 1) === 0 && second === half(len - 2)) {
      second = 2 * (second + 1);
      this.move(first + hole, first + second - 1);
      hole = second - 1;
    }
    // __push_heap
    let parent = half(hole - 1);
    while (hole > top && this.less(this.k[first + parent], this.ix[first + parent], v, vi)) {
      this.move(first + hole, first + parent);
      hole = parent;
      parent = half(hole - 1);
    }
    this.k[first + hole] = v;
    this.ix[first + hole] = vi;
  }
}

/** What `sort` and `topk` return: values (differentiable) and int32 indices along `dim`. */
export interface Sorted {
  values: Tensor;
  indices: Tensor;
}

/**
 * Runs `select` on each row along `dim` (as (key, index) pairs), writes the
 * first `count` pairs of each row to values and indices of `x`'s shape with
 * `dim` of size `count`, and records `op`'s backward (a scatter through the
 * indices) when `record`.
 */
function alongDim(
  x: Tensor,
  d: number,
  count: number,
  order: { desc: boolean; stable: boolean },
  select: (s: PairSorter, size: number) => void,
  op: 'sort' | 'topk' | null,
): Sorted {
  const { outer, size, inner } = splitAtDim(x.shape, d);
  const shape = [...x.shape];
  if (shape.length > 0) shape[d] = count;
  const n = outer * count * inner;
  const values = allocUninit(x.dtype, n);
  const indices = allocUninit('int32', n) as Int32Array;
  const src = x.data as Numbers;
  // Scratch for one row; an empty result (a dim of 0 elsewhere) needs none, whatever `size` is.
  const k = new Float64Array(n > 0 ? size : 0);
  const ix = new Int32Array(n > 0 ? size : 0);
  let nan = false;
  for (let i = 0; i < src.length && !nan; i++) nan = src[i] !== src[i];
  const sorter = new PairSorter(k, ix, order.desc, order.stable, nan);
  for (let o = 0; o < (n > 0 ? outer : 0); o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      for (let j = 0; j < size; j++) {
        k[j] = src[base + j * inner];
        ix[j] = j;
      }
      select(sorter, size);
      const to = o * count * inner + i;
      for (let j = 0; j < count; j++) {
        values[to + j * inner] = k[j];
        indices[to + j * inner] = ix[j];
      }
    }
  }
  const v = new Tensor(values, shape);
  const idx = new Tensor(indices, shape);
  if (op) recordOp(v, op, [x], { shape: x.shape, outer, size, inner, count, indices });
  return { values: v, indices: idx };
}

/**
 * `x` sorted along `dim` and where each value came from, like PyTorch 1.13's
 * CPU `torch.sort`: NaN largest, equal values in the order libstdc++'s
 * `std::sort` leaves them (their input order when `stable`, and for rows
 * of at most 16 elements either way).
 */
export function sort(x: Tensor, dim = -1, desc = false, stable = false, fn = 'sort'): Sorted {
  const d = normalizeDim(dim, x.ndim, fn);
  const size = x.ndim === 0 ? 1 : x.shape[d];
  return alongDim(
    x,
    d,
    size,
    { desc, stable },
    (s, n) => s.sort(0, n),
    fn === 'sort' ? 'sort' : null,
  );
}

/**
 * The `k` largest (or smallest) elements along `dim` and their indices, like
 * PyTorch 1.13's CPU `torch.topk`: `std::partial_sort` when `k · 64 ≤ n`
 * (sorted either way), else `std::nth_element` around the k-th and, when
 * `sorted`, `std::sort` of the `k − 1` before it.
 */
export function topk(x: Tensor, k: number, dim = -1, largest = true, sorted = true): Sorted {
  const d = normalizeDim(dim, x.ndim, 'topk');
  const size = x.ndim === 0 ? 1 : x.shape[d];
  if (!Number.isInteger(k) || k < 0 || k > size) {
    throw new Error(
      `topk: selected index k out of range: k = ${k}, but dimension ${d} has size ${size} (expected 0 ≤ k ≤ ${size})`,
    );
  }
  const select = (s: PairSorter, n: number) => {
    if (k === 0 || x.ndim === 0) return;
    if (k * 64 <= n) {
      s.partialSort(0, k, n);
    } else {
      s.nthElement(0, k - 1, n);
      if (sorted) s.sort(0, k - 1);
    }
  };
  // A 0-D tensor is its own top element, for k = 0 too (PyTorch 1.13 copies it).
  const count = x.ndim === 0 ? 1 : k;
  return alongDim(x, d, count, { desc: largest, stable: false }, select, 'topk');
}
