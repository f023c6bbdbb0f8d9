"""What a backend can do natively, asked for by capability, never by the library's name.

The array API standard has no scatter-add, bincount, top-k selection or QR without Q, and says
nothing about threads or compilation. Where a library has one of these, its entry in
`_libraries.py` lists it in its `native` table under one of the names below. A helper in
`xpml.utils` asks `capability(backend, "scatter_add")`: it gets the library's function, or None, and
then runs its own pure array-API version, which tests compare with every native one.

So a helper never names a library, and a new backend gets every fast path it offers from its
entry alone (and the portable versions for the rest).
"""

from __future__ import annotations

from typing import Any

from ._libraries import LIBRARIES

__all__ = ["CAPABILITIES", "compiles_per_shape", "capability", "on_accelerator"]

# name -> what the library's entry provides under it
CAPABILITIES = {
    "bincount": "fn(x, length, weights) -> counts (length,): how many entries of x fall in each bin, or their "
                "weights' sum",
    "bincount_complex": "fn(re (n,), im (n,)) -> re + i·im (n,) complex128, made without complex arithmetic, where "
                        "`bincount` takes complex weights and sums both parts in one pass faster than in two counts "
                        "(numpy: about 2 ns an entry against 2 × 1.4)",
    "bincount_wide": "True where `bincount` into 65,536 bins costs about what it does into 256, and lets other threads "
                     "run meanwhile: a histogram may count two features as one code of B² bins (numpy; torch on a "
                     "CPU took 10% longer that way)",
    "scatter_add": "fn(values (n, ...), index (n,), n_bins) -> (n_bins, ...): the sum of the values in each bin, "
                   "in a fresh array",
    "set_rows": "fn(out (n,), rows (k,), value) -> out with out[rows] = value, set in place",
    "segment_max": "fn(values (n,), ids (n,) sorted ascending, n_segments) -> (n_segments,): the largest value of "
                   "each segment, -inf where empty",
    "scatter_min_max": "fn(values (n,), index (n,) in any order, n_bins) -> (low, high), each (n_bins,): the smallest "
                       "and largest value in each bin, +inf and -inf where empty, without sorting",
    "one_hot_t": "fn(index (n,), n_bins, dtype) -> (n_bins, n): the transposed one-hot matrix, set by indexing",
    "normal_ppf": "fn(p) -> Φ⁻¹(p) elementwise, the standard normal quantile function (-inf at 0, inf at 1, NaN "
                  "outside [0, 1]) to within an ulp or two (ndtri: about 15 ns a value where the portable Halley "
                  "iteration of `xpml.utils._normal` takes 100 or more)",
    "select_smallest": "fn(x (rows, n), k) -> (rows, k): column indices of the k smallest entries of each row, "
                       "in any order",
    "qr_r": "fn(M (n, m)) -> (min(n, m), m): R of the reduced QR factorization, without forming Q",
    "qr_q": "fn(M (n, m)) -> (n, min(n, m)): Q of the reduced QR factorization, faster than the namespace's qr",
    "lu_permuted_l": "fn(A (n, k), n >= k) -> (n, k): P L of the LU factorization with partial pivoting A = P L U",
    "one_thread": "fn() -> context manager inside which the host kernels run on one thread; a library that has "
                  "it computes on the host and releases Python's interpreter lock in its kernels",
    "centre_major": "True where k-means' distances run faster laid out (centres, samples): per-sample minima are "
                    "then reductions across rows, in vector instructions (numpy, torch on a CPU)",
    "compile": "fn(function, static_argnames) -> the function compiled (traced once per shape)",
    "compile_scan": "fn(step, n_static) -> run(*args, carry, xs): carry = step(*args, carry, row) for each row of "
                    "the arrays xs, as one compiled call (the first n_static args select the computation)",
    "compiles_per_shape": "True where each new operand shape compiles a new kernel, even outside `compile`",
    "host_loops": "True where the arrays are in host memory that numpy views without a copy, and each operation costs "
                  "several times numpy's (torch on a CPU: about 5 µs a call against 0.5): a Python loop of many tiny "
                  "operations runs on numpy views (`xpml.utils._host_loop`)",
    "block_scale": "int: how many times larger a working block should be, to spread a per-call overhead",
    "csr_matmul": "fn(indptr, indices, data, shape, B, transpose) -> X @ B, or Xᵀ @ B if transpose, for the CSR "
                  "matrix X = (indptr, indices, data) of `shape` and a dense 1-d or 2-d B of data's dtype",
    "sparse_matrix": "fn(indptr, indices, data, shape) -> the library's own sparse matrix of that CSR matrix, "
                     "for results under set_config(output='backend')",
    "lazy": "True where arrays are task graphs, computed when read: results read on the host are asked for "
            "together (`read`), and state kept across iterations is computed once per iteration (`materialize`)",
    "materialize": "fn(*arrays) -> the arrays computed together and kept computed, in the same library",
    "read": "fn(*arrays) -> their values as numpy arrays, computed together",
    "eigh": "fn(A (p, p) symmetric) -> (eigenvalues (p,), eigenvectors (p, p)), where the namespace has no eigh",
    "uniform_rows": "fn(seed, X (n, ...)) -> (n,) uniforms in [0, 1), made where X's rows are, in its layout",
    "align_rows": "fn(a (n, ...), like (n, ...)) -> a laid out in like's chunks of rows",
    "encode_labels": "fn(y (n,) of the backend) -> (classes: sorted numpy labels, indices (n,) of the backend), "
                     "without bringing y to the host",
    "row_chunks": "fn(X (n, p)) -> [(start, stop, block)]: X's chunks of rows in order, each a lazy (rows, p) array",
    "compute_chunks": "fn(*arrays) -> the arrays computed together (one pass), as arrays of the chunks' library",
    "check_chunks": "fn(X, check) -> X, lazily, each of whose chunks is passed to check(chunk) (which raises on bad "
                    "values) when it is computed: input checks in the pass that reads the data",
    "unchecked": "fn(X) -> the array that `check_chunks` made X from (X where it did not): for an iterative fit's "
                 "passes after a first one that ran the checks",
    "chunk_backend": "fn() -> the Backend whose arrays a lazy backend's chunks are (numpy, or cupy on a GPU)",
    "map_rows": "fn(fn, X (n, p), width or None, dtype, sparse=False) -> fn applied to each chunk of rows of X, "
                "lazily: (n, width), or (n,) where width is None; with sparse, fn's scipy.sparse matrices stay the "
                "chunks",
    "map_chunks": "fn(fn, a, dtype) -> fn (numpy in, numpy out of the same shape) applied to each chunk of a, "
                  "lazily",
    "reduce_rows": "fn(fn, X (n, p), *aligned (n, ...), shape, dtype) -> Σ over X's chunks of rows of fn(X chunk, "
                   "the aligned arrays' chunks) (each an array of the chunks' library, of `shape`), lazily",
}


_tables: dict = {}  # {(library, repr(device)): its native table}, built once: helpers ask on every block


def _table(backend) -> dict:
    key = (backend.name, repr(backend.device))
    table = _tables.get(key)
    if table is None:
        table = LIBRARIES[backend.name].native(backend.device)
        unknown = set(table) - set(CAPABILITIES)
        if unknown:
            raise ValueError(f"library {backend.name!r} lists unknown capabilities {sorted(unknown)}; "
                             f"expected some of {sorted(CAPABILITIES)}.")
        _tables[key] = table
    return table


def capability(backend, name: str) -> Any:
    """The backend's native implementation of capability `name`, or None where it has none.

    >>> from xpml import make_backend
    >>> capability(make_backend("array_api_strict"), "scatter_add") is None
    True
    """
    if name not in CAPABILITIES:
        raise ValueError(f"capability={name!r} is unknown; expected one of {sorted(CAPABILITIES)}.")
    return _table(backend).get(name)


def on_accelerator(backend) -> bool:
    """Whether the backend computes on a GPU (or another accelerator) rather than the host CPU.

    Helpers size their working blocks by it: small blocks that stay in the CPU's caches, or large
    ones that keep a GPU busy between kernel launches.
    """
    return LIBRARIES[backend.name].on_accelerator(backend.device)


def compiles_per_shape(backend) -> bool:
    """Whether the backend compiles a kernel for each new shape of its operands (jax, even outside `jit`).

    There, arrays whose length depends on the data (the result of `nonzero`, say) cost a compilation
    whenever the length changes: algorithms keep to shapes that stay the same from one step to the next.
    """
    return bool(capability(backend, "compiles_per_shape"))
