"""Helpers shared by the algorithms: validation, random draws, small array routines.

How a helper gets its array namespace, everywhere in this package:

- A helper that computes on arrays takes them first and finds their namespace itself, once, at its
  top: `def helper(x, ..., *, xp=None)` with `xp = namespace_of(x) if xp is None else xp`. A caller
  that holds `xp` already may pass it (`softmax(Z, xp=xp)`), which skips the look-up.
- A helper with a native fast path asks the backend layer for the capability on the backend of
  its arrays (`capability(backend_of(x), "bincount")`), never for a library's name, and has a
  `native=True` switch that tests turn off to compare the fast path with the portable one.
- A helper that has no array to look at, because it makes arrays or sizes work for a backend
  (`draw`, `chunk_rows`, `compiled`, `host_workers`, `check_array`), takes the `Backend`.
"""
