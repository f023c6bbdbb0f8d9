"""Matrix decompositions: PCA, IncrementalPCA, KernelPCA, TruncatedSVD and NMF."""

from ._incremental_pca import IncrementalPCA
from ._kernel_pca import KernelPCA
from ._nmf import NMF
from ._pca import PCA
from ._truncated_svd import TruncatedSVD

__all__ = ["IncrementalPCA", "KernelPCA", "NMF", "PCA", "TruncatedSVD"]
