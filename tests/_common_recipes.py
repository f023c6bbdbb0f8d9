"""One recipe per public estimator, for the common tests (tests/test_common.py).

Each recipe says how to build a small instance, what data it is fitted on, which bad parameter
values it must refuse (with the message that names them), and which bad inputs it legitimately
accepts (each with the reason). The data are small so that every test runs on every backend in a
few seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from xpml.cluster import KMeans, MiniBatchKMeans
from xpml.compose import ColumnTransformer
from xpml.datasets import load_diabetes, load_iris
from xpml.decomposition import PCA, TruncatedSVD
from xpml.ensemble import (AdaBoostClassifier, AdaBoostRegressor, BaggingClassifier, BaggingRegressor,
                           HistGradientBoostingClassifier, HistGradientBoostingRegressor, RandomForestClassifier,
                           RandomForestRegressor, VotingClassifier, VotingRegressor)
from xpml.kernel_ridge import KernelRidge
from xpml.linear_model import (
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    LinearRegression,
    MultiTaskElasticNet,
    MultiTaskLasso,
    LogisticRegression,
    Perceptron,
    Ridge,
    SGDClassifier,
    SGDRegressor,
)
from xpml.model_selection import GridSearchCV, RandomizedSearchCV
from xpml.naive_bayes import GaussianNB, MultinomialNB
from xpml.neighbors import KNeighborsClassifier, KNeighborsRegressor
from xpml.neural_network import MLPClassifier, MLPRegressor
from xpml.pipeline import Pipeline
from xpml.preprocessing import (
    Binarizer,
    FunctionTransformer,
    LabelEncoder,
    MaxAbsScaler,
    MinMaxScaler,
    Normalizer,
    OneHotEncoder,
    OrdinalEncoder,
    PolynomialFeatures,
    RobustScaler,
    SimpleImputer,
    StandardScaler,
)
from xpml.svm import SVC, SVR, LinearSVC
from xpml.tree import DecisionTreeClassifier, DecisionTreeRegressor
from xpml.utils.discovery import MODEL_FOLDERS, all_estimators

# The trees' recipes stay shallow (a level of 8 nodes or fewer): jax compiles each step once per number of
# nodes (padded to 8, 16, 64, ...), and a deeper tree would add compilations, not checks.

# ---- data ------------------------------------------------------------------------------------

_iris_X, _iris_y = load_iris(return_X_y=True)
_rows = np.concatenate([np.arange(c * 50, c * 50 + 12) for c in range(3)])  # 12 of each class
IRIS_X, IRIS_Y = _iris_X[_rows], _iris_y[_rows]  # (36, 4), labels 0, 1, 2
_diabetes_X, _diabetes_y = load_diabetes(return_X_y=True)
DIABETES_X, DIABETES_Y = _diabetes_X[:40], _diabetes_y[:40] / 100  # (40, 10); the target in hundreds
CATEGORIES = np.array([[0, 1], [1, 2], [2, 0], [0, 0], [1, 1], [2, 2], [0, 2], [1, 0]])  # (8, 2) integer codes
MISSING = np.where(np.arange(36 * 4).reshape(36, 4) % 7 == 3, np.nan, IRIS_X)  # iris with NaN holes

DATA = {
    "classification": (IRIS_X, IRIS_Y),
    "regression": (DIABETES_X, DIABETES_Y),
    # two targets: the progression and s5, from the other nine variables (the multi-task models)
    "two_targets": (np.delete(DIABETES_X, 8, axis=1), np.column_stack([DIABETES_Y, DIABETES_X[:, 8] * 10])),
    "X": (IRIS_X, None),
    "counts": (IRIS_X, IRIS_Y),  # iris measurements are >= 0: valid "counts" for MultinomialNB
    "categories": (CATEGORIES, None),
    "missing": (MISSING, None),
    "labels": (None, IRIS_Y),  # LabelEncoder: fit(y)
}


# The models (the estimators of the algorithm folders, xpml.utils.discovery.MODEL_FOLDERS): each has a recipe
# here and a benchmark workload (tests/test_bench.py).
MODELS = {name for name, _ in all_estimators(MODEL_FOLDERS)}

# How far a fit on another backend may land from numpy's. Closed forms and short iterations agree to a
# few ulps (1e-12 leaves a wide margin). An iterative solver that stops at its tolerance on an
# ill-conditioned problem (unscaled iris) amplifies the backends' rounding differences (1e-16) by the
# condition number in the point where it stops: measured at most 2e-9 for LogisticRegression and
# LinearSVC; 1e-8 bounds that, far below any real difference between two fits.
ILL_CONDITIONED = 1e-8


@dataclass
class Recipe:
    make: Callable  # () -> a new, unfitted estimator
    data: str  # a key of DATA
    bad_params: list = field(default_factory=list)  # (params, error type, message regex)
    accepts: dict = field(default_factory=dict)  # bad input name -> why the estimator legitimately accepts it
    messages: dict = field(default_factory=dict)  # bad input name -> (error type, regex) where it differs
    rtol: float = 1e-12  # how far a fit on another backend may be from numpy's (see test_common)
    keeps_nan: bool = False  # NaN in X marks a missing value that the output keeps as NaN (RobustScaler; test_hostile)

    @property
    def kind(self) -> str:
        return {"classification": "classifier", "counts": "classifier", "regression": "regressor", "two_targets": "regressor",
                "labels": "labels"}.get(self.data, "unsupervised")


RECIPES: dict[str, Recipe] = {
    # learning_rate=0.7: at 1.0 the third stump on these 36 rows chooses between two splits of exactly equal
    # weighted error, which the backends' sums (last bits) decide differently
    "Binarizer": Recipe(lambda: Binarizer(threshold=3.0), "X", [  # iris: about half of the values above 3
        ({"threshold": "high"}, TypeError, r"threshold should be a Real; got 'high'"),
        ({"copy": "yes"}, TypeError, r"copy should be a bool; got 'yes'"),
    ]),
    # validate=True: X is checked and moved to the backend (the identity function: a model file holds no function)
    "FunctionTransformer": Recipe(lambda: FunctionTransformer(validate=True, feature_names_out="one-to-one"), "X", [
        ({"func": "log"}, TypeError, r"func should be None or a callable; got 'log'"),
        ({"feature_names_out": "nosuch"}, ValueError, r"feature_names_out='nosuch' should be one of 'one-to-one'"),
        ({"validate": "yes"}, TypeError, r"validate should be a bool; got 'yes'"),
        ({"kw_args": {"a": 1}}, TypeError, r"kw_args=\{'a': 1\} are keyword arguments for the function, but it is"),
    ]),
    "Normalizer": Recipe(lambda: Normalizer("l1"), "X", [
        ({"norm": "l3"}, ValueError, r"norm='l3' should be one of 'l1', 'l2', 'max'"),
        ({"copy": 1}, TypeError, r"copy should be a bool; got 1"),
    ]),
    # encoded_missing_value=-1: NaN (missing) gives a finite code (with encoded_missing_value=nan, NaN: keeps_nan)
    "OrdinalEncoder": Recipe(lambda: OrdinalEncoder(encoded_missing_value=-1), "categories", [
        ({"handle_unknown": "ignore"}, ValueError, r"handle_unknown='ignore' should be one of 'error', 'use_encoded"),
        ({"handle_unknown": "use_encoded_value"}, TypeError,
         r"unknown_value=None should be an int or nan when handle_unknown='use_encoded_value'"),
        ({"unknown_value": -1}, TypeError, r"unknown_value=-1 is used only with handle_unknown='use_encoded_value'"),
        ({"handle_unknown": "use_encoded_value", "unknown_value": 1}, ValueError,
         r"unknown_value=1 is the code of a known category \(codes 0 to 2 are in use\)"),
        ({"encoded_missing_value": 0.5}, ValueError, r"encoded_missing_value=0.5 should be an int or nan"),
        ({"min_frequency": 0}, ValueError, r"min_frequency=0 should be >= 1"),
        ({"max_categories": 0}, ValueError, r"max_categories=0 should be >= 1"),
        ({"dtype": "bogus"}, TypeError, r"dtype should be a numeric dtype such as numpy.float64"),
    ], accepts={"nan@fit": "NaN is the missing category, encoded as encoded_missing_value, as in scikit-learn",
                "strings@fit": "categories may be strings (they are encoded on the host)"},
       messages={"nan@predict": (ValueError, r"Found unknown categories \[nan\] in column 1 during transform"),
                 "strings@predict": (ValueError, r"Found unknown categories \['0.0', '1.0', '2.0'\] in column 0")},
       keeps_nan=True),
    "RobustScaler": Recipe(RobustScaler, "X", [
        ({"quantile_range": (75.0, 25.0)}, ValueError, r"quantile_range=\(75.0, 25.0\) should be a pair"),
        ({"with_centering": "yes"}, TypeError, r"with_centering should be a bool; got 'yes'"),
        ({"unit_variance": True, "quantile_range": (0.0, 100.0)}, ValueError, r"unit_variance=True needs 0 < q_min"),
    ], accepts={"nan": "NaN marks missing values: left out of the medians and quantiles, and kept by transform, as "
                       "in scikit-learn"}, keeps_nan=True),
    "AdaBoostClassifier": Recipe(lambda: AdaBoostClassifier(n_estimators=3, learning_rate=0.7, random_state=0),
                                 "classification", [
        ({"n_estimators": 0}, ValueError, r"n_estimators=0 should be >= 1"),
        ({"learning_rate": 0.0}, ValueError, r"learning_rate=0.0 should be > 0"),
        ({"estimator": "stump"}, TypeError, r"estimator should be an estimator with fit and get_params methods"),
        ({"estimator": KNeighborsClassifier()}, ValueError, r"does not take sample_weight in fit"),
    ]),
    "AdaBoostRegressor": Recipe(lambda: AdaBoostRegressor(n_estimators=3, random_state=0), "regression", [
        ({"loss": "nosuch"}, ValueError, r"loss='nosuch' should be one of 'exponential', 'linear', 'square'"),
        ({"learning_rate": -1.0}, ValueError, r"learning_rate=-1.0 should be > 0"),
    ]),
    "BaggingClassifier": Recipe(lambda: BaggingClassifier(DecisionTreeClassifier(max_depth=2), n_estimators=3,
                                                          random_state=0), "classification", [
        ({"n_estimators": 0}, ValueError, r"n_estimators=0 should be >= 1"),
        ({"max_samples": 1000, "bootstrap": False}, ValueError, r"max_samples=1000 should be <= n_samples=36"),
        ({"max_features": 10}, ValueError, r"max_features=10 should be <= n_features=4"),
        ({"oob_score": True, "bootstrap": False}, ValueError, r"oob_score=True needs bootstrap=True"),
    ]),
    # the members of the meta-ensembles are the trees of the recipes above, so that jax compiles them once
    "BaggingRegressor": Recipe(lambda: BaggingRegressor(DecisionTreeRegressor(max_depth=3), n_estimators=3,
                                                        random_state=0), "regression", [
        ({"max_features": 0.0}, ValueError, r"max_features=0.0 should be"),
        ({"bootstrap_features": "yes"}, TypeError, r"bootstrap_features should be a bool"),
    ]),
    "VotingClassifier": Recipe(lambda: VotingClassifier([("lr", LogisticRegression()), ("nb", GaussianNB()),
                                                         ("tree", DecisionTreeClassifier(max_depth=2))],
                                                        voting="soft"), "classification", [
        ({"voting": "nosuch"}, ValueError, r"voting='nosuch' should be one of 'hard', 'soft'"),
        ({"weights": [1.0]}, ValueError, r"weights has 1 values but there are 3 estimators"),
        ({"estimators": []}, TypeError, r"estimators should be a non-empty list"),
        ({"estimators": [("a", "drop")]}, ValueError, r"All estimators are dropped"),
    ], rtol=ILL_CONDITIONED),
    "VotingRegressor": Recipe(lambda: VotingRegressor([("ridge", Ridge()), ("tree", DecisionTreeRegressor(max_depth=3))],
                                                      weights=[2.0, 1.0]), "regression", [
        ({"estimators": [("a", Ridge()), ("a", Ridge())]}, ValueError, r"Names in estimators should be unique"),
        ({"estimators": [("a", "ridge"), ("b", Ridge())]}, TypeError, r"estimator .a. should be an estimator"),
    ]),
    # two scalers on columns given by position, the last column passed through: compared across backends
    "ColumnTransformer": Recipe(lambda: ColumnTransformer([("scale", StandardScaler(), [0, 1]),
                                                           ("minmax", MinMaxScaler(), [2])], remainder="passthrough"),
                                "X", [
        ({"remainder": "nosuch"}, ValueError, r"remainder='nosuch' should be 'drop', 'passthrough' or an estimator"),
        ({"sparse_threshold": 1.5}, ValueError, r"sparse_threshold=1.5 should be >= 0 and <= 1"),
        ({"transformers": [("a", StandardScaler(), [0]), ("a", MinMaxScaler(), [1])]}, ValueError,
         r"Names in transformers should be unique; got \['a', 'a'\]"),
        ({"transformers": [("a", Ridge(), [0])]}, TypeError, r"Transformer 'a' should implement fit and transform"),
        ({"transformers": [("a", StandardScaler(), [7])]}, ValueError,
         r"position\(s\) \[7\], out of range for X of 4 columns"),
        ({"transformers": [("a", StandardScaler(), ["age"])]}, ValueError,
         r"given by name \(\['age'\]\): specifying the columns using strings is only supported for dataframes"),
        ({"transformer_weights": {"nosuch": 2.0}}, ValueError, r"transformer_weights has weights for \['nosuch'\]"),
    ]),
    "DecisionTreeClassifier": Recipe(lambda: DecisionTreeClassifier(max_features=3, random_state=0),
                                     "classification", [
        ({"criterion": "squared_error"}, ValueError, r"criterion='squared_error' should be one of 'entropy', 'gini'"),
        ({"max_depth": 0}, ValueError, r"max_depth=0 should be >= 1"),
        ({"min_samples_split": 1}, ValueError, r"min_samples_split=1 should be"),
        ({"min_samples_leaf": 0}, ValueError, r"min_samples_leaf=0 should be"),
        ({"max_features": 5}, ValueError, r"max_features=5 should be <= n_features=4"),
        ({"max_leaf_nodes": 1}, ValueError, r"max_leaf_nodes=1 should be >= 2"),
        ({"ccp_alpha": -1.0}, ValueError, r"ccp_alpha=-1.0 should be >= 0"),
        ({"class_weight": "nosuch"}, ValueError, r"class_weight='nosuch' should be one of 'balanced'"),
        ({"monotonic_cst": [1, 0, 0, 0]}, TypeError, r"monotonic_cst should be None"),
    ]),
    "DecisionTreeRegressor": Recipe(lambda: DecisionTreeRegressor(max_depth=3), "regression", [
        ({"criterion": "gini"}, ValueError, r"criterion='gini' should be one of 'squared_error'"),
        ({"splitter": "nosuch"}, ValueError, r"splitter='nosuch' should be one of 'best', 'random'"),
        ({"min_weight_fraction_leaf": 0.6}, ValueError, r"min_weight_fraction_leaf=0.6 should be"),
        ({"min_impurity_decrease": -1.0}, ValueError, r"min_impurity_decrease=-1.0 should be >= 0"),
    ]),
    "ElasticNet": Recipe(lambda: ElasticNet(alpha=0.1), "regression", [
        ({"alpha": -1.0}, ValueError, r"alpha=-1.0 should be > 0"),
        ({"l1_ratio": 2.0}, ValueError, r"l1_ratio=2.0 should be"),
        ({"max_iter": 0}, ValueError, r"max_iter=0 should be >= 1"),
    ]),
    "ElasticNetCV": Recipe(lambda: ElasticNetCV(l1_ratio=[0.5, 1.0], alphas=3, cv=2), "regression", [
        ({"eps": 0.0}, ValueError, r"eps=0.0 should be > 0"),
        ({"l1_ratio": [0.5, 2.0]}, ValueError, r"l1_ratio=\[0.5, 2.0\] should be a number or numbers in \[0, 1\]"),
        ({"alphas": 0}, ValueError, r"alphas=0 should be >= 1"),
    ]),
    "GaussianNB": Recipe(GaussianNB, "classification", [
        ({"var_smoothing": -1.0}, ValueError, r"var_smoothing=-1.0 should be >= 0"),
        ({"priors": [0.5, 0.6, 0.1]}, ValueError, r"priors"),
    ]),
    "GridSearchCV": Recipe(lambda: GridSearchCV(Ridge(), {"alpha": [0.1, 1.0]}, cv=3, error_score="raise"),
                           "regression", [
        ({"param_grid": {"alpha": []}}, ValueError, r"param_grid\['alpha'\] should be a non-empty list"),
        ({"cv": 1}, ValueError, r"n_splits=1 should be >= 2"),
        ({"scoring": "nosuch"}, ValueError, r"nosuch"),
    ], messages={"empty@fit": (ValueError, r"n_splits=3 should be <= n_samples=0")}),
    # the whole grid of two (n_iter=2), in the order the seed draws: the search of GridSearchCV, other candidates
    "RandomizedSearchCV": Recipe(lambda: RandomizedSearchCV(Ridge(), {"alpha": [0.1, 1.0]}, n_iter=2, cv=3,
                                                            random_state=0, error_score="raise"), "regression", [
        ({"param_distributions": {"alpha": []}}, ValueError, r"param_distributions\['alpha'\] should be a non-empty"),
        ({"param_distributions": {"alpha": 3}}, TypeError, r"param_distributions\['alpha'\] should be a non-empty "
                                                           r"list of values or a distribution with an rvs method"),
        ({"n_iter": 0}, ValueError, r"n_iter=0 should be >= 1"),
        ({"cv": 1}, ValueError, r"n_splits=1 should be >= 2"),
        ({"random_state": -1}, ValueError, r"random_state=-1 should be >= 0"),
    ], messages={"empty@fit": (ValueError, r"n_splits=3 should be <= n_samples=0")}),
    "KernelRidge": Recipe(lambda: KernelRidge(alpha=0.1, kernel="rbf"), "regression", [
        ({"alpha": -1.0}, ValueError, r"alpha=-1.0 should be >= 0"),
        ({"kernel": "nosuch"}, ValueError, r"kernel='nosuch' should be one of"),
        ({"alpha": 0.0}, ValueError, r"alpha=0.0 should be > 0"),
    ]),
    "KMeans": Recipe(lambda: KMeans(n_clusters=3, n_init=2, random_state=0), "X", [
        ({"algorithm": "full"}, ValueError, r"algorithm='full' should be one of 'elkan', 'lloyd'"),
        ({"copy_x": "yes"}, TypeError, r"copy_x should be a bool"),
        ({"n_clusters": 0}, ValueError, r"n_clusters=0 should be >= 1"),
        ({"n_clusters": 100}, ValueError, r"n_samples=36 should be >= n_clusters=100"),
        ({"init": "nosuch"}, ValueError, r"init='nosuch' should be 'k-means\+\+', 'random' or an array"),
        ({"max_iter": 0}, ValueError, r"max_iter=0 should be >= 1"),
    ]),
    "KNeighborsClassifier": Recipe(lambda: KNeighborsClassifier(n_neighbors=3), "classification", [
        ({"p": 0}, ValueError, r"p=0 should be > 0"),
        ({"algorithm": "nosuch"}, ValueError, r"algorithm='nosuch' should be one of 'auto', 'ball_tree'"),
        ({"leaf_size": 0}, ValueError, r"leaf_size=0 should be >= 1"),
        ({"n_neighbors": 0}, ValueError, r"n_neighbors=0 should be >= 1"),
        ({"weights": "nosuch"}, ValueError, r"weights='nosuch' should be one of"),
        ({"metric": "nosuch"}, ValueError, r"metric='nosuch' should be one of"),
    ]),
    "KNeighborsRegressor": Recipe(lambda: KNeighborsRegressor(n_neighbors=3), "regression", [
        ({"metric_params": [1]}, TypeError, r"metric_params should be a dict or None"),
        ({"n_neighbors": 0}, ValueError, r"n_neighbors=0 should be >= 1"),
        ({"weights": "nosuch"}, ValueError, r"weights='nosuch' should be one of"),
    ]),
    "LabelEncoder": Recipe(LabelEncoder, "labels", [
        ({"backend": "nosuch"}, ValueError, r"backend='nosuch' is not a backend"),
    ], accepts={
        "nan@fit": "labels are categories, not measurements: NaN is a class of its own, as in scikit-learn",
        "inf@fit": "labels are categories, not measurements: infinity is a class of its own, as in scikit-learn",
        "1d": "a 1-D array of labels is LabelEncoder's input (it has no X)",
        "strings@fit": "labels may be strings",
        "empty@predict": "no labels to transform give no codes, as in scikit-learn",
    }, messages={
        "nan@predict": (ValueError, r"y contains previously unseen labels: \[nan\]"),
        "inf@predict": (ValueError, r"y contains previously unseen labels: \[inf\]"),
        "3d": (ValueError, r"y should be a 1-D array of labels of shape \(n_samples,\); got shape \(36, 1, 1\)"),
        "empty@fit": (ValueError, r"y has 0 sample\(s\) \(shape=\(0,\)\) while a minimum of 1 is required"),
        "strings@predict": (ValueError, r"y contains previously unseen labels: \['0.0', '1.0', '2.0'\]"),
    }),
    "Lasso": Recipe(lambda: Lasso(alpha=0.1), "regression", [
        ({"alpha": -1.0}, ValueError, r"alpha=-1.0 should be > 0"),
        ({"tol": -1.0}, ValueError, r"tol=-1.0 should be >= 0"),
        ({"selection": "nosuch"}, ValueError, r"selection='nosuch' should be one of 'cyclic', 'random'"),
        ({"positive": "yes"}, TypeError, r"positive should be a bool; got 'yes'"),
    ]),
    "LassoCV": Recipe(lambda: LassoCV(alphas=3, cv=2), "regression", [
        ({"alphas": [0.1, -1.0]}, ValueError, r"alphas should be finite and > 0"),
        ({"cv": "five"}, ValueError, r"cv='five' should be an int"),
        ({"max_iter": 0}, ValueError, r"max_iter=0 should be >= 1"),
    ]),
    "MultiTaskElasticNet": Recipe(lambda: MultiTaskElasticNet(alpha=0.01, l1_ratio=0.7), "two_targets", [
        ({"alpha": 0.0}, ValueError, r"alpha=0.0 should be > 0"),
        ({"l1_ratio": -0.5}, ValueError, r"l1_ratio=-0.5 should be >= 0"),
    ]),
    "MultiTaskLasso": Recipe(lambda: MultiTaskLasso(alpha=0.01), "two_targets", [
        ({"max_iter": 0}, ValueError, r"max_iter=0 should be >= 1"),
        ({"warm_start": "yes"}, TypeError, r"warm_start should be a bool; got 'yes'"),
    ]),
    "LinearRegression": Recipe(LinearRegression, "regression", [
        ({"fit_intercept": "yes"}, TypeError, r"fit_intercept should be a bool; got 'yes'"),
        ({"tol": -1.0}, ValueError, r"tol=-1.0 should be >= 0"),
        ({"dtype": "float16"}, ValueError, r"dtype='float16' should be one of 'float32', 'float64'"),
    ]),
    "LinearSVC": Recipe(lambda: LinearSVC(max_iter=2000), "classification", [
        ({"C": -1.0}, ValueError, r"C=-1.0 should be > 0"),
        ({"loss": "nosuch"}, ValueError, r"loss='nosuch' should be one of 'hinge', 'squared_hinge'"),
        ({"penalty": "l1", "loss": "hinge"}, ValueError, r"penalty='l1' is not supported with loss='hinge'"),
        ({"dual": "maybe"}, ValueError, r"dual='maybe' should be one of 'auto'"),
    ], rtol=ILL_CONDITIONED),
    "LogisticRegression": Recipe(LogisticRegression, "classification", [
        ({"C": -1.0}, ValueError, r"C=-1.0 should be > 0"),
        ({"solver": "nosuch"}, ValueError, r"solver='nosuch' should be one of 'gd', 'lbfgs'"),
        ({"penalty": "l3"}, ValueError, r"penalty='l3' should be one of 'deprecated', 'elasticnet', 'l1', 'l2'"),
        ({"l1_ratio": 2.0}, ValueError, r"l1_ratio=2.0 should be"),
    ], rtol=ILL_CONDITIONED),
    "MLPClassifier": Recipe(lambda: MLPClassifier(hidden_layer_sizes=(8,), solver="lbfgs", max_iter=500, random_state=0),
                            "classification", [
        ({"max_fun": 0}, ValueError, r"max_fun=0 should be >= 1"),
        ({"hidden_layer_sizes": (0,)}, ValueError, r"hidden_layer_sizes"),
        ({"activation": "nosuch"}, ValueError, r"activation='nosuch' should be one of"),
        ({"solver": "nosuch"}, ValueError, r"solver='nosuch' should be one of 'adam', 'lbfgs', 'sgd'"),
        ({"learning_rate_init": 0.0}, ValueError, r"learning_rate_init=0.0 should be > 0"),
    ]),
    "MLPRegressor": Recipe(lambda: MLPRegressor(hidden_layer_sizes=(5,), solver="lbfgs", tol=1e-2, random_state=0),
                           "regression", [
        ({"loss": "nosuch"}, ValueError, r"loss='nosuch' should be one of 'poisson', 'squared_error'"),
        ({"max_fun": 0}, ValueError, r"max_fun=0 should be >= 1"),
        ({"alpha": -1.0}, ValueError, r"alpha=-1.0 should be >= 0"),
        ({"momentum": 2.0}, ValueError, r"momentum=2.0 should be >= 0 and <= 1"),
    ]),
    "MaxAbsScaler": Recipe(MaxAbsScaler, "X", [
        ({"copy": "yes"}, TypeError, r"copy should be a bool"),
        ({"clip": 1}, TypeError, r"clip should be a bool; got 1"),
    ]),
    "MinMaxScaler": Recipe(MinMaxScaler, "X", [
        ({"copy": "yes"}, TypeError, r"copy should be a bool"),
        ({"feature_range": (1, 0)}, ValueError, r"feature_range=\(1, 0\) should be"),
    ]),
    "MiniBatchKMeans": Recipe(lambda: MiniBatchKMeans(n_clusters=3, batch_size=12, n_init=2, random_state=0), "X", [
        ({"n_clusters": 0}, ValueError, r"n_clusters=0 should be >= 1"),
        ({"batch_size": 0}, ValueError, r"batch_size=0 should be >= 1"),
    ]),
    "MultinomialNB": Recipe(MultinomialNB, "counts", [
        ({"alpha": -1.0}, ValueError, r"alpha=-1.0 should be >= 0"),
        ({"force_alpha": "yes"}, TypeError, r"force_alpha should be a bool"),
    ]),
    "OneHotEncoder": Recipe(lambda: OneHotEncoder(sparse_output=False), "categories", [  # dense: compared across backends
        ({"handle_unknown": "nosuch"}, ValueError, r"handle_unknown='nosuch' should be one of 'error', 'ignore'"),
        ({"min_frequency": 0}, ValueError, r"min_frequency=0 should be >= 1"),
        ({"max_categories": 0}, ValueError, r"max_categories=0 should be >= 1"),
        ({"drop": "nosuch"}, ValueError, r"drop='nosuch' should be one of"),
    ], accepts={"strings@fit": "categories may be strings (they are encoded on the host)"},
       messages={"strings@predict": (ValueError, r"Found unknown categories \['0.0', '1.0', '2.0'\] in column 0")}),
    "Perceptron": Recipe(Perceptron, "classification", [
        ({"eta0": 0.0}, ValueError, r"eta0=0.0 should be > 0"),
        ({"penalty": "nosuch"}, ValueError, r"penalty='nosuch' should be one of"),
        ({"max_iter": 0}, ValueError, r"max_iter=0 should be >= 1"),
    ]),
    "PCA": Recipe(lambda: PCA(n_components=2), "X", [
        ({"power_iteration_normalizer": "nosuch"}, ValueError, r"power_iteration_normalizer='nosuch' should be one of"),
        ({"tol": -1.0}, ValueError, r"tol=-1.0 should be >= 0"),
        ({"n_components": -1}, ValueError, r"n_components=-1 should be"),
        ({"svd_solver": "nosuch"}, ValueError, r"svd_solver='nosuch' should be one of"),
        ({"n_components": 10}, ValueError, r"n_components=10"),
    ]),
    "Pipeline": Recipe(lambda: Pipeline([("scale", StandardScaler()), ("model", LogisticRegression())]),
                       "classification", [
        ({"steps": [("a", LinearRegression()), ("b", Ridge())]}, TypeError, r"Step 'a' \(LinearRegression\) is not the last step"),
        ({"steps": [("a", StandardScaler()), ("a", Ridge())]}, ValueError, r"Names in steps should be unique"),
    ]),
    "PolynomialFeatures": Recipe(PolynomialFeatures, "X", [
        ({"order": "A"}, ValueError, r"order='A' should be one of 'C', 'F'"),
        ({"degree": -1}, ValueError, r"degree=-1 should be >= 0"),
    ]),
    "Ridge": Recipe(Ridge, "regression", [
        ({"alpha": -1.0}, ValueError, r"alpha=-1.0 should be >= 0"),
        ({"solver": "nosuch"}, ValueError, r"solver='nosuch' should be one of 'auto', 'cholesky', 'lbfgs'"),
        ({"solver": "svd", "positive": True}, ValueError, r"solver='svd' does not support positive=True"),
    ]),
    "SVC": Recipe(lambda: SVC(tol=1e-8), "classification", [
        ({"C": 0.0}, ValueError, r"C=0.0 should be > 0"),
        ({"kernel": "nosuch"}, ValueError, r"kernel='nosuch' should be one of"),
        ({"gamma": "nosuch"}, ValueError, r"gamma='nosuch' should be"),
        ({"decision_function_shape": "ovx"}, ValueError, r"decision_function_shape='ovx' should be one of 'ovo', 'ovr'"),
        ({"break_ties": True, "decision_function_shape": "ovo"}, ValueError, r"break_ties must be False"),
    ], rtol=ILL_CONDITIONED),
    "SVR": Recipe(lambda: SVR(tol=1e-8), "regression", [
        ({"epsilon": -1.0}, ValueError, r"epsilon=-1.0 should be >= 0"),
        ({"max_iter": -2}, ValueError, r"max_iter=-2 should be >= -1"),
    ], rtol=ILL_CONDITIONED),
    "RandomForestClassifier": Recipe(lambda: RandomForestClassifier(n_estimators=4, max_depth=2, random_state=0),
                                     "classification", [
        ({"n_estimators": 0}, ValueError, r"n_estimators=0 should be >= 1"),
        ({"bootstrap": "yes"}, TypeError, r"bootstrap should be a bool"),
        ({"max_samples": 1000}, ValueError, r"max_samples=1000 should be <= n_samples=36"),
        ({"oob_score": True, "bootstrap": False}, ValueError, r"oob_score=True needs bootstrap=True"),
    ]),
    "RandomForestRegressor": Recipe(lambda: RandomForestRegressor(n_estimators=4, max_depth=2, random_state=0),
                                    "regression", [
        ({"criterion": "gini"}, ValueError, r"criterion='gini' should be one of 'squared_error'"),
        ({"max_features": 0.0}, ValueError, r"max_features=0.0 should be"),
    ]),
    "HistGradientBoostingClassifier": Recipe(
        lambda: HistGradientBoostingClassifier(max_iter=5, min_samples_leaf=5, random_state=0), "classification", [
            ({"learning_rate": 0.0}, ValueError, r"learning_rate=0.0 should be > 0"),
            ({"max_bins": 300}, ValueError, r"max_bins=300 should be"),
            ({"early_stopping": "yes"}, ValueError, r"early_stopping='yes' should be"),
            ({"categorical_features": [99]}, ValueError, r"categorical_features set as integer indices must be in"),
        ], accepts={"nan": "HistGradientBoosting takes NaN as missing values: they get a bin of their own and go "
                           "to the better side of each split, as in scikit-learn."}),
    "HistGradientBoostingRegressor": Recipe(
        lambda: HistGradientBoostingRegressor(max_iter=5, min_samples_leaf=5, random_state=0), "regression", [
            ({"loss": "nosuch"}, ValueError, r"loss='nosuch' should be one of"),
            ({"loss": "quantile"}, ValueError, r"loss='quantile' needs quantile="),
            ({"max_leaf_nodes": 1}, ValueError, r"max_leaf_nodes=1 should be >= 2"),
        ], accepts={"nan": "HistGradientBoosting takes NaN as missing values: they get a bin of their own and go "
                           "to the better side of each split, as in scikit-learn."}),
    "SGDClassifier": Recipe(lambda: SGDClassifier(alpha=0.01, random_state=0), "classification", [
        ({"loss": "nosuch"}, ValueError, r"loss='nosuch' should be one of"),
        ({"alpha": -1.0}, ValueError, r"alpha=-1.0 should be >= 0"),
        ({"learning_rate": "nosuch"}, ValueError, r"learning_rate='nosuch' should be one of"),
        ({"n_jobs": 1.5}, TypeError, r"n_jobs"),
    ]),
    "SGDRegressor": Recipe(lambda: SGDRegressor(random_state=0), "regression", [
        ({"penalty": "nosuch"}, ValueError, r"penalty='nosuch' should be one of"),
        ({"eta0": -1.0}, ValueError, r"eta0=-1.0 should be"),
    ]),
    "SimpleImputer": Recipe(SimpleImputer, "missing", [
        ({"add_indicator": "yes"}, TypeError, r"add_indicator should be a bool"),
        ({"strategy": "nosuch"}, ValueError, r"strategy='nosuch' should be one of"),
    ], accepts={"nan": "NaN marks the missing values it fills in"},
       messages={"strings@fit": (ValueError, r"strategy='mean' needs numeric data; X holds strings")}),
    "StandardScaler": Recipe(StandardScaler, "X", [
        ({"with_mean": "yes"}, TypeError, r"with_mean should be a bool; got 'yes'"),
    ]),
    "TruncatedSVD": Recipe(lambda: TruncatedSVD(n_components=2, random_state=0), "X", [
        ({"tol": -1.0}, ValueError, r"tol=-1.0 should be >= 0"),
        ({"n_components": 0}, ValueError, r"n_components=0 should be >= 1"),
        ({"algorithm": "nosuch"}, ValueError, r"algorithm='nosuch' should be one of 'arpack', 'full', 'randomized'"),
        ({"n_components": 5}, ValueError, r"n_components=5"),
    ]),
}
