"""Kernel methods and the perceptron: SVC (rbf), SVR, KernelRidge and Perceptron, fitted in xpml and in
scikit-learn with the same parameters on the same data.

SVC is the issue's yardstick: rbf on 20,000 × 50 (the full tier), two overlapping Gaussian classes
(about a fifth of the samples end up support vectors). Both solve libsvm's dual to the default
tol=1e-3: scikit-learn with libsvm (SMO, one pair of kernel rows at a time, a kernel cache), xpml
with SMO on working sets of up to 1024 variables whose kernel rows are computed in batches on the
device (`xpml.svm._smo`). SVR solves the same kind of dual with two variables per sample;
KernelRidge one n × n linear system; Perceptron is SGD, one sample per step in scikit-learn and
in batches in xpml on large data. Each is scored after the fit (accuracy or R²).
"""

from .._harness import classification_data, fit_workload, regression_data
from .fits import models

BINARY = classification_data("float64", n_classes=2, spread=0.3)
REGRESSION, CLASSES = regression_data("float64"), classification_data("float64")

WORKLOADS = [
    fit_workload("svc", **models("svm", "SVC"), make_data=BINARY,
                 sizes={"quick": [(5_000, 50)], "full": [(20_000, 50)], "large": [(100_000, 50)]}, dtype="float64",
                 notes="rbf kernel, C=1, gamma='scale', tol=1e-3: the same dual, the same support vectors."),
    fit_workload("svr", **models("svm", "SVR", C=10.0), make_data=REGRESSION,
                 sizes={"quick": [(500, 20)], "full": [(10_000, 50)], "large": [(50_000, 50)]}, dtype="float64"),
    fit_workload("kernel_ridge", **models("kernel_ridge", "KernelRidge", kernel="rbf", alpha=0.1),
                 make_data=REGRESSION, sizes={"quick": [(2_000, 20)], "full": [(10_000, 50)], "large": [(40_000, 50)]},
                 dtype="float64"),
    fit_workload("perceptron", **models("linear_model", "Perceptron", random_state=0), make_data=CLASSES,
                 sizes={"quick": [(20_000, 20)], "full": [(400_000, 50)], "large": [(4_000_000, 50)]}, dtype="float64"),
]
