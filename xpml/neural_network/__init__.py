"""Neural networks: multi-layer perceptrons trained by hand-written backpropagation."""

from ._multilayer_perceptron import MLPClassifier, MLPRegressor

__all__ = ["MLPClassifier", "MLPRegressor"]
