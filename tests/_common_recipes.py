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

from xpml.cluster import AgglomerativeClustering, DBSCAN, FeatureAgglomeration, KMeans, MiniBatchKMeans
from xpml.compose import ColumnTransformer
from xpml.datasets import load_diabetes, load_iris
from xpml.decomposition import PCA, TruncatedSVD
from xpml.decomposition import IncrementalPCA, KernelPCA
from xpml.decomposition import NMF
from xpml.feature_selection import SelectFromModel, SelectKBest, SelectPercentile, VarianceThreshold
from xpml.ensemble import (AdaBoostClassifier, AdaBoostRegressor, BaggingClassifier, BaggingRegressor,
                           HistGradientBoostingClassifier, HistGradientBoostingRegressor, RandomForestClassifier,
                           RandomForestRegressor, VotingClassifier, VotingRegressor)
from xpml.ensemble import GradientBoostingClassifier, GradientBoostingRegressor
from xpml.ensemble import ExtraTreesClassifier, ExtraTreesRegressor, IsolationForest
from xpml.ensemble import StackingClassifier, StackingRegressor
from xpml.kernel_ridge import KernelRidge
from xpml.linear_model import (
    ElasticNet,
    ElasticNetCV,
    GammaRegressor,
    HuberRegressor,
    Lasso,
    LassoCV,
    LinearRegression,
    MultiTaskElasticNet,
    MultiTaskLasso,
    LogisticRegression,
    LogisticRegressionCV,
    Perceptron,
    PoissonRegressor,
    QuantileRegressor,
    Ridge,
    RidgeClassifier,
    RidgeClassifierCV,
    RidgeCV,
    SGDClassifier,
    SGDRegressor,
    TweedieRegressor,
)
from xpml.model_selection import GridSearchCV, RandomizedSearchCV
from xpml.naive_bayes import BernoulliNB, CategoricalNB, ComplementNB, GaussianNB, MultinomialNB
from xpml.neighbors import (KNeighborsClassifier, KNeighborsRegressor, NearestNeighbors, RadiusNeighborsClassifier,
                            RadiusNeighborsRegressor)
from xpml.neural_network import MLPClassifier, MLPRegressor
from xpml.pipeline import Pipeline
from xpml.preprocessing import (
    Binarizer,
    FunctionTransformer,
    KBinsDiscretizer,
    LabelBinarizer,
    LabelEncoder,
    MaxAbsScaler,
    MinMaxScaler,
    MultiLabelBinarizer,
    Normalizer,
    OneHotEncoder,
    OrdinalEncoder,
    PolynomialFeatures,
    PowerTransformer,
    QuantileTransformer,
    RobustScaler,
    SimpleImputer,
    SplineTransformer,
    StandardScaler,
    TargetEncoder,
)
from xpml.svm import SVC, SVR, LinearSVC, LinearSVR
from xpml.tree import DecisionTreeClassifier, DecisionTreeRegressor, ExtraTreeClassifier, ExtraTreeRegressor
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
    "label_sets": (None, np.column_stack([IRIS_Y, np.arange(36) % 4])),  # MultiLabelBinarizer: a set of 2 a row
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
                "labels": "labels", "label_sets": "labels"}.get(self.data, "unsupervised")


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
    "PowerTransformer": Recipe(PowerTransformer, "X", [
        ({"method": "box_cox"}, ValueError, r"method='box_cox' should be one of 'box-cox', 'yeo-johnson'"),
        ({"standardize": "yes"}, TypeError, r"standardize should be a bool; got 'yes'"),
    ], accepts={"nan": "NaN marks missing values: left out of the fit of lambda and of the standardization, and kept "
                       "by transform, as in scikit-learn"}, keeps_nan=True),
    # one-hot columns, dense so that they are compared across backends (the sparse output is scipy's, on the host)
    "KBinsDiscretizer": Recipe(lambda: KBinsDiscretizer(3, encode="onehot-dense"), "X", [
        ({"n_bins": 1}, ValueError, r"n_bins=1 should be >= 2"),
        ({"n_bins": [3, 3]}, ValueError, r"n_bins should be an int or an array of shape \(n_features,\) = \(4,\)"),
        ({"n_bins": [3, 1, 3, 2.5]}, ValueError, r"n_bins=\[3, 1, 3, 2.5\] should hold an int >= 2 for each feature; "
                                                 r"got \[1, 2.5\] at indices \[1, 3\]"),
        ({"encode": "nosuch"}, ValueError, r"encode='nosuch' should be one of 'onehot', 'onehot-dense', 'ordinal'"),
        ({"strategy": "nosuch"}, ValueError, r"strategy='nosuch' should be one of 'kmeans', 'quantile', 'uniform'"),
        ({"quantile_method": "nosuch"}, ValueError, r"quantile_method='nosuch' should be one of"),
        ({"dtype": "float16"}, ValueError, r"dtype='float16' should be one of 'float32', 'float64'"),
        ({"subsample": 0}, ValueError, r"subsample=0 should be >= 1"),
    ]),
    # the normal output: its Φ⁻¹ (xpml.utils._normal) runs on every backend
    "QuantileTransformer": Recipe(lambda: QuantileTransformer(n_quantiles=10, output_distribution="normal"), "X", [
        ({"n_quantiles": 0}, ValueError, r"n_quantiles=0 should be >= 1"),
        ({"output_distribution": "nosuch"}, ValueError, r"output_distribution='nosuch' should be one of 'normal'"),
        ({"n_quantiles": 100, "subsample": 10}, ValueError, r"n_quantiles=100 should be <= subsample=10"),
        ({"ignore_implicit_zeros": "yes"}, TypeError, r"ignore_implicit_zeros should be a bool; got 'yes'"),
    ], accepts={"nan": "NaN marks missing values: left out of the quantiles, and kept by transform, as in "
                       "scikit-learn"}, keeps_nan=True),
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
    # stacking: closed-form members (probabilities, a decision function) on 2 folds, and the default final estimators
    # (LogisticRegression, RidgeCV): on jax each fold's shape compiles the members anew (a tree's level steps: 10 s)
    "StackingClassifier": Recipe(lambda: StackingClassifier([("nb", GaussianNB()), ("ridge", RidgeClassifier())], cv=2),
                                 "classification", [
        ({"stack_method": "nosuch"}, ValueError, r"stack_method='nosuch' should be one of 'auto', 'decision_function'"),
        ({"final_estimator": Ridge()}, ValueError, r"final_estimator should be a classifier; got Ridge\(\)"),
        ({"cv": 1}, ValueError, r"cv=1 should be 'prefit', None, an int >= 2"),
        ({"passthrough": "yes"}, TypeError, r"passthrough should be a bool; got 'yes'"),
        ({"estimators": [("a", "drop")]}, ValueError, r"All estimators are dropped"),
    ], rtol=ILL_CONDITIONED),
    "StackingRegressor": Recipe(lambda: StackingRegressor([("ridge", Ridge()), ("ols", LinearRegression())], cv=2),
                                "regression", [
        ({"final_estimator": GaussianNB()}, ValueError, r"final_estimator should be a regressor; got GaussianNB\(\)"),
        ({"final_estimator": "ridge"}, TypeError, r"final_estimator should be an estimator with fit and get_params"),
        ({"cv": "nosuch"}, ValueError, r"cv='nosuch' should be 'prefit', None, an int >= 2"),
        ({"verbose": -1}, ValueError, r"verbose=-1 should be >= 0"),
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
    # Ward's tree of the 36 iris rows, cut into 3 clusters (ties among its distances: the same tree on every backend)
    "AgglomerativeClustering": Recipe(lambda: AgglomerativeClustering(n_clusters=3), "X", [
        ({"n_clusters": 0}, ValueError, r"n_clusters=0 should be >= 1"),
        ({"n_clusters": 100}, ValueError, r"n_samples=36 should be >= n_clusters=100"),
        ({"linkage": "centroid"}, ValueError, r"linkage='centroid' should be one of 'average', 'complete', 'single'"),
        ({"metric": "manhattan"}, ValueError, r"metric='manhattan' was provided, but linkage='ward' can only work"),
        ({"distance_threshold": 1.0}, ValueError, r"Exactly one of n_clusters and distance_threshold has to be set"),
        ({"compute_full_tree": "yes"}, ValueError, r"compute_full_tree='yes' should be one of 'auto'"),
        ({"memory": 3}, TypeError, r"memory should be None or a str or a joblib.Memory"),
        ({"metric": "precomputed", "linkage": "average"}, ValueError,
         r"X should be a square matrix of distances \(n_samples, n_samples\) for metric='precomputed'"),
        ({"connectivity": [[1.0]]}, ValueError, r"connectivity should be a graph of shape \(n_samples, n_samples\)"),
    ]),
    # the 4 iris measurements (columns) in 2 clusters by Ward's tree, each pooled into its mean
    "FeatureAgglomeration": Recipe(lambda: FeatureAgglomeration(n_clusters=2), "X", [
        ({"n_clusters": 5}, ValueError, r"n_features=4 should be >= n_clusters=5"),
        ({"pooling_func": "median"}, ValueError, r"pooling_func='median' should be one of 'mean'"),
        ({"linkage": "nosuch"}, ValueError, r"linkage='nosuch' should be one of 'average', 'complete', 'single'"),
        ({"connectivity": np.ones((36, 36))}, ValueError, r"connectivity should be a graph of shape "
                                                          r"\(n_features, n_features\) = \(4, 4\); got shape \(36, 36\)"),
    ]),
    # eps 0.6 on the 36 iris rows (cm): 4 clusters, 10 flowers as noise
    "DBSCAN": Recipe(lambda: DBSCAN(eps=0.6, min_samples=3), "X", [
        ({"eps": 0.0}, ValueError, r"eps=0.0 should be > 0"),
        ({"min_samples": 0}, ValueError, r"min_samples=0 should be >= 1"),
        ({"metric": "nosuch"}, ValueError, r"metric='nosuch' should be one of"),
        ({"p": 0}, ValueError, r"p=0 should be > 0"),
        ({"algorithm": "nosuch"}, ValueError, r"algorithm='nosuch' should be one of 'auto', 'ball_tree'"),
        ({"metric": "precomputed"}, ValueError, r"X should be a square matrix of distances \(n_samples, n_samples\) "
                                                r"for metric='precomputed'; got shape \(36, 4\)"),
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
    # unsupervised: no predict or transform; its queries (kneighbors) are its outputs in the shared tests
    "NearestNeighbors": Recipe(lambda: NearestNeighbors(n_neighbors=3, radius=1.0), "X", [
        ({"n_neighbors": 0}, ValueError, r"n_neighbors=0 should be >= 1"),
        ({"radius": -1.0}, ValueError, r"radius=-1.0 should be >= 0"),
        ({"radius": None}, TypeError, r"radius should be a number >= 0; got None"),
        ({"metric": "nosuch"}, ValueError, r"metric='nosuch' should be one of"),
    ]),
    # radius 1.0 on the 36 iris rows (cm): 4 to 12 neighbours a flower; "most_frequent" sets outlier_label_
    "RadiusNeighborsClassifier": Recipe(lambda: RadiusNeighborsClassifier(1.0, outlier_label="most_frequent"),
                                        "classification", [
        ({"radius": -1.0}, ValueError, r"radius=-1.0 should be >= 0"),
        ({"weights": "nosuch"}, ValueError, r"weights='nosuch' should be one of"),
        ({"outlier_label": [0, 1]}, ValueError, r"outlier_label=\[0, 1\] has 2 labels; y has 1 output"),
        ({"outlier_label": "outlier"}, TypeError, r"outlier_label='outlier': the label 'outlier' is not of the kind "
                                                  r"of the classes \[0, 1, 2\] in y"),
        ({"outlier_label": 0.5}, TypeError, r"outlier_label should be a Integral or a str or an array or None; "
                                            r"got 0.5"),
    ]),
    # radius 0.1 on the 40 diabetes rows (columns of norm 1): 1 to 11 neighbours a patient, itself among them
    "RadiusNeighborsRegressor": Recipe(lambda: RadiusNeighborsRegressor(0.1, weights="distance"), "regression", [
        ({"radius": float("nan")}, ValueError, r"radius=nan should be a finite number >= 0"),
        ({"weights": "nosuch"}, ValueError, r"weights='nosuch' should be one of"),
        ({"leaf_size": 0}, ValueError, r"leaf_size=0 should be >= 1"),
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
    "LabelBinarizer": Recipe(LabelBinarizer, "labels", [
        ({"neg_label": 1}, ValueError, r"neg_label=1 must be strictly less than pos_label=1"),
        ({"sparse_output": True, "neg_label": -1}, ValueError, r"Sparse binarization is only supported with non zero "
                                                               r"pos_label and zero neg_label"),
        ({"pos_label": "1"}, TypeError, r"pos_label should be an int; got '1'"),
    ], accepts={
        "1d": "a 1-D array of labels is LabelBinarizer's input (it has no X)",
        "strings@fit": "labels may be strings",
        "strings@predict": "labels not among the classes (strings, against numeric classes) get rows of neg_label, as "
                           "scikit-learn's label_binarize gives them",
    }, messages={
        "nan": (ValueError, r"Input y contains NaN: labels should be finite class values"),
        "inf": (ValueError, r"Input y contains infinity: labels should be finite class values"),
        "3d": (ValueError, r"unknown target data is not supported with label binarization"),
        "empty": (ValueError, r"y has 0 samples \(shape \(0,\)\); a minimum of 1 is required"),
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
    # alpha=1: diabetes's unscaled features (columns of norm 0.3 here) leave the unpenalized fit ill-conditioned (220
    # L-BFGS iterations, and a stopping point that moves by 1e-6 with the backends' rounding); penalized, 25
    "HuberRegressor": Recipe(lambda: HuberRegressor(alpha=1.0), "regression", [
        ({"epsilon": 0.5}, ValueError, r"epsilon=0.5 should be >= 1"),
        ({"alpha": -1.0}, ValueError, r"alpha=-1.0 should be >= 0"),
        ({"max_iter": -1}, ValueError, r"max_iter=-1 should be >= 0"),
        ({"warm_start": "yes"}, TypeError, r"warm_start should be a bool; got 'yes'"),
    ]),
    # alpha=0.001: eight of the ten coefficients nonzero (the default alpha=1 holds them all at 0 on these data)
    "QuantileRegressor": Recipe(lambda: QuantileRegressor(quantile=0.4, alpha=0.001), "regression", [
        ({"quantile": 1.5}, ValueError, r"quantile=1.5 should be > 0 and < 1"),
        ({"alpha": -1.0}, ValueError, r"alpha=-1.0 should be >= 0"),
        ({"solver": "simplex"}, ValueError, r"solver='simplex' should be one of 'highs', 'highs-ds'"),
        ({"solver_options": {"speed": 2}}, ValueError, r"solver_options has unknown option\(s\) \['speed'\]"),
    ]),
    # the GLMs on diabetes's progression in hundreds (0.25 to 3.5, > 0: in every family's domain)
    "PoissonRegressor": Recipe(lambda: PoissonRegressor(alpha=0.01), "regression", [
        ({"alpha": -1.0}, ValueError, r"alpha=-1.0 should be >= 0"),
        ({"solver": "sag"}, ValueError, r"solver='sag' should be one of 'lbfgs', 'newton-cholesky'"),
        ({"tol": 0.0}, ValueError, r"tol=0.0 should be > 0"),
    ]),
    "GammaRegressor": Recipe(lambda: GammaRegressor(alpha=0.01, solver="newton-cholesky"), "regression", [
        ({"max_iter": 0}, ValueError, r"max_iter=0 should be >= 1"),
        ({"warm_start": "yes"}, TypeError, r"warm_start should be a bool; got 'yes'"),
    ]),
    "TweedieRegressor": Recipe(lambda: TweedieRegressor(power=1.5, alpha=0.01), "regression", [
        ({"power": "two"}, TypeError, r"power should be a number; got 'two'"),
        ({"link": "logit"}, ValueError, r"link='logit' should be one of 'auto', 'identity', 'log'"),
        ({"power": float("nan")}, ValueError, r"power=nan should be a finite number"),
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
    "LogisticRegressionCV": Recipe(lambda: LogisticRegressionCV(Cs=[0.01, 0.1], cv=2, tol=1e-8), "classification", [
        ({"Cs": 0}, ValueError, r"Cs=0 should be >= 1"),
        ({"Cs": [1.0, -1.0]}, ValueError, r"Cs should hold one or more numbers > 0"),
        ({"refit": "yes"}, TypeError, r"refit should be a bool; got 'yes'"),
        ({"scoring": "nosuch"}, ValueError, r"scoring='nosuch' should be one of"),
        ({"cv": "five"}, ValueError, r"cv='five' should be an int"),
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
    "BernoulliNB": Recipe(lambda: BernoulliNB(binarize=3.0), "counts", [  # iris: about half of the values above 3
        ({"binarize": -1.0}, ValueError, r"binarize=-1.0 should be >= 0"),
        ({"alpha": -1.0}, ValueError, r"alpha=-1.0 should be >= 0"),
    ]),
    "ComplementNB": Recipe(lambda: ComplementNB(norm=True), "counts", [
        ({"norm": "yes"}, TypeError, r"norm should be a bool; got 'yes'"),
        ({"alpha": [1.0, 2.0]}, ValueError, r"alpha should hold one value per feature, n_features=4; got shape \(2,\)"),
    ]),
    "CategoricalNB": Recipe(CategoricalNB, "counts", [  # iris measurements truncated to the codes 0 to 7
        ({"min_categories": 0}, ValueError, r"min_categories=0 should be >= 1"),
        ({"min_categories": [2.5, 3, 3, 3]}, ValueError, r"min_categories should hold integers, one per feature"),
        ({"alpha": [1.0]}, TypeError, r"alpha should be a number >= 0; got \[1.0\]"),
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
    "LinearSVR": Recipe(LinearSVR, "regression", [
        ({"C": 0.0}, ValueError, r"C=0.0 should be > 0"),
        ({"epsilon": -0.5}, ValueError, r"epsilon=-0.5 should be >= 0"),  # LIBLINEAR refuses it too ("p < 0")
        ({"loss": "hinge"}, ValueError, r"loss='hinge' should be one of 'epsilon_insensitive', 'squared_epsilon"),
        ({"dual": False}, ValueError, r"loss='epsilon_insensitive' needs dual=True \(or 'auto'\)"),
    ]),
    # batches of 12, 12 and 12 iris rows: two updates of the stacked SVD after the first
    "IncrementalPCA": Recipe(lambda: IncrementalPCA(n_components=2, batch_size=12), "X", [
        ({"n_components": 0}, ValueError, r"n_components=0 should be >= 1"),
        ({"batch_size": 0}, ValueError, r"batch_size=0 should be >= 1"),
        ({"whiten": "yes"}, TypeError, r"whiten should be a bool; got 'yes'"),
        ({"n_components": 5}, ValueError, r"n_components=5 invalid for n_features=4"),
    ]),
    "KernelPCA": Recipe(lambda: KernelPCA(n_components=2, kernel="rbf", fit_inverse_transform=True), "X", [
        ({"kernel": "nosuch"}, ValueError, r"kernel='nosuch' should be one of"),
        ({"alpha": -1.0}, ValueError, r"alpha=-1.0 should be >= 0"),
        ({"eigen_solver": "nosuch"}, ValueError, r"eigen_solver='nosuch' should be one of"),
        ({"kernel": "precomputed"}, ValueError, r"Cannot fit_inverse_transform with a precomputed kernel"),
    ]),
    "SelectFromModel": Recipe(lambda: SelectFromModel(Lasso(alpha=0.01)), "regression", [
        ({"norm_order": 0}, ValueError, r"norm_order=0 should be a non-zero int, inf or -inf"),
        ({"max_features": -1}, ValueError, r"max_features=-1 should be >= 0"),
        ({"prefit": "yes"}, TypeError, r"prefit should be a bool; got 'yes'"),
    ]),
    "SelectKBest": Recipe(lambda: SelectKBest(k=2), "classification", [
        ({"k": -1}, ValueError, r"k=-1 should be >= 0"),
        ({"k": "most"}, ValueError, r"k='most' should be one of 'all'"),
        ({"score_func": "f"}, TypeError, r"score_func should be a callable; got 'f'"),
    ]),
    "SelectPercentile": Recipe(lambda: SelectPercentile(percentile=50), "classification", [
        ({"percentile": 101}, ValueError, r"percentile=101 should be >= 0 and <= 100"),
    ]),
    "VarianceThreshold": Recipe(lambda: VarianceThreshold(threshold=0.2), "X", [
        ({"threshold": -1.0}, ValueError, r"threshold=-1.0 should be >= 0"),
        ({"threshold": 100.0}, ValueError, r"No feature in X meets the variance threshold 100.00000"),
    ], accepts={"nan": "NaN marks missing values: left out of the variances, and kept by transform, as in "
                       "scikit-learn"}, keeps_nan=True),
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
    "SplineTransformer": Recipe(lambda: SplineTransformer(4, 2), "X", [
        ({"n_knots": 1}, ValueError, r"n_knots=1 should be >= 2"),
        ({"degree": -1}, ValueError, r"degree=-1 should be >= 0"),
        ({"extrapolation": "nosuch"}, ValueError, r"extrapolation='nosuch' should be one of 'constant', 'continue'"),
        ({"knots": "nosuch"}, ValueError, r"knots='nosuch' should be one of 'quantile', 'uniform' or an array"),
        ({"knots": [[0.0, 1.0, 2.0, 3.0]]}, ValueError, r"knots has 1 row\(s\); a minimum of 2 knots is required"),
        ({"extrapolation": "periodic", "n_knots": 2}, ValueError, r"Periodic splines need degree < n_knots"),
        ({"handle_missing": "nosuch"}, ValueError, r"handle_missing='nosuch' should be one of 'error', 'zeros'"),
    ]),
    # iris' measurements (to 0.1 cm) as categories, its classes as a multiclass target: one column per class
    "TargetEncoder": Recipe(lambda: TargetEncoder(cv=3), "classification", [
        ({"smooth": -1.0}, ValueError, r"smooth=-1.0 should be"),
        ({"target_type": "nosuch"}, ValueError, r"target_type='nosuch' should be one of 'auto', 'binary'"),
        ({"cv": 1}, ValueError, r"cv=1 should be >= 2"),
        ({"shuffle": 1}, TypeError, r"shuffle should be a bool or one of 'deprecated'; got 1"),
    ], accepts={"nan": "NaN is a category of its own (the missing one), as in scikit-learn's TargetEncoder",
                "strings@fit": "categories may be strings (they are encoded on the host)",
                "strings@predict": "categories not seen at fit (here strings) are encoded as the target mean, as "
                                   "scikit-learn's TargetEncoder encodes unknown categories",
                "single_class": "a target of one class is a valid binary target (every category encodes to its mean), "
                                "as scikit-learn's TargetEncoder takes it"}),
    "MultiLabelBinarizer": Recipe(MultiLabelBinarizer, "label_sets", [
        ({"classes": [1, 1]}, ValueError, r"classes=\[1, 1\] contains duplicate classes"),
        ({"sparse_output": "yes"}, TypeError, r"sparse_output should be a bool; got 'yes'"),
    ], accepts={
        "inf@fit": "labels are categories, not measurements: infinity is a label like any other, as in scikit-learn",
        "inf@predict": "a label not among classes_ (here infinity) is ignored with a warning, as in scikit-learn",
        "strings@fit": "labels may be strings",
        "strings@predict": "labels not among classes_ (strings, against numeric classes) are ignored with a warning, "
                           "as in scikit-learn",
        "empty@predict": "no label sets give an indicator matrix of 0 rows, as in scikit-learn",
    }, messages={
        "nan": (ValueError, r"y contains NaN: labels should be hashable values that equal themselves"),
        "1d": (ValueError, r"y should be label sets: .* got an array of shape \(36,\)"),
        "3d": (ValueError, r"y should be label sets: .* got an array of shape \(36, 2, 1\)"),
        "empty": (ValueError, r"y has 0 label sets; a minimum of 1 is required"),
    }),
    "PolynomialFeatures": Recipe(PolynomialFeatures, "X", [
        ({"order": "A"}, ValueError, r"order='A' should be one of 'C', 'F'"),
        ({"degree": -1}, ValueError, r"degree=-1 should be >= 0"),
    ]),
    "Ridge": Recipe(Ridge, "regression", [
        ({"alpha": -1.0}, ValueError, r"alpha=-1.0 should be >= 0"),
        ({"solver": "nosuch"}, ValueError, r"solver='nosuch' should be one of 'auto', 'cholesky', 'lbfgs'"),
        ({"solver": "svd", "positive": True}, ValueError, r"solver='svd' does not support positive=True"),
    ]),
    "RidgeCV": Recipe(RidgeCV, "regression", [
        ({"alphas": [1.0, 0.0]}, ValueError, r"alphas\[1\]=0.0 should be finite and > 0 \(the leave-one-out"),
        ({"gcv_mode": "qr"}, ValueError, r"gcv_mode='qr' should be one of 'auto', 'eigen', 'svd'"),
        ({"store_cv_results": True, "cv": 2}, ValueError, r"store_cv_results=True needs cv=None"),
        ({"scoring": "nosuch"}, ValueError, r"scoring='nosuch' is not a known scorer"),
    ]),
    "RidgeClassifier": Recipe(RidgeClassifier, "classification", [
        ({"alpha": -1.0}, ValueError, r"alpha=-1.0 should be >= 0"),
        ({"class_weight": "even"}, ValueError, r"class_weight='even' should be one of 'balanced'"),
        ({"solver": "lbfgs"}, ValueError, r"solver='lbfgs' can be used only when positive=True"),
    ]),
    "RidgeClassifierCV": Recipe(RidgeClassifierCV, "classification", [
        ({"alphas": -1.0}, ValueError, r"alphas=-1.0 should be > 0"),
        ({"class_weight": {7: 2.0}}, ValueError, r"class_weight has labels \[7\] that are not classes of y"),
        ({"cv": "five"}, ValueError, r"cv='five' should be an int"),
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
    # the extra trees: random thresholds, drawn alike on every backend from the same seed
    "ExtraTreeClassifier": Recipe(lambda: ExtraTreeClassifier(max_depth=3, random_state=0), "classification", [
        ({"splitter": "nosuch"}, ValueError, r"splitter='nosuch' should be one of 'best', 'random'"),
        ({"max_features": 5}, ValueError, r"max_features=5 should be <= n_features=4"),
        ({"criterion": "squared_error"}, ValueError, r"criterion='squared_error' should be one of 'entropy', 'gini'"),
    ]),
    "ExtraTreeRegressor": Recipe(lambda: ExtraTreeRegressor(max_depth=3, random_state=0), "regression", [
        ({"criterion": "absolute_error"}, ValueError, r"criterion='absolute_error' should be one of 'squared_error'"),
        ({"min_samples_leaf": 0}, ValueError, r"min_samples_leaf=0 should be"),
    ]),
    "ExtraTreesClassifier": Recipe(lambda: ExtraTreesClassifier(n_estimators=4, max_depth=2, random_state=0),
                                   "classification", [
        ({"n_estimators": 0}, ValueError, r"n_estimators=0 should be >= 1"),
        ({"max_samples": 0.5}, ValueError, r"max_samples=0.5 needs bootstrap=True"),
        ({"oob_score": True}, ValueError, r"oob_score=True needs bootstrap=True"),
    ]),
    "ExtraTreesRegressor": Recipe(lambda: ExtraTreesRegressor(n_estimators=4, max_depth=2, random_state=0),
                                  "regression", [
        ({"criterion": "gini"}, ValueError, r"criterion='gini' should be one of 'squared_error'"),
        ({"bootstrap": "no"}, TypeError, r"bootstrap should be a bool"),
    ]),
    # an outlier detector: fitted on X alone (y ignored), as the unsupervised estimators; its outputs are predict
    # (+1 / -1) and decision_function. 16 samples a tree: trees of depth 4 at most
    "IsolationForest": Recipe(lambda: IsolationForest(n_estimators=4, max_samples=16, random_state=0), "X", [
        ({"contamination": 0.6}, ValueError, r"contamination=0.6 should be"),
        ({"max_samples": 0.0}, ValueError, r"max_samples=0.0 should be"),
        ({"max_features": 5}, ValueError, r"max_features=5 should be <= n_features=4"),
        ({"n_estimators": 0}, ValueError, r"n_estimators=0 should be >= 1"),
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
    "GradientBoostingClassifier": Recipe(
        lambda: GradientBoostingClassifier(n_estimators=5, max_depth=2, random_state=0), "classification", [
            ({"learning_rate": -0.1}, ValueError, r"learning_rate=-0.1 should be >= 0.0"),
            ({"subsample": 0.0}, ValueError, r"subsample=0.0 should be > 0.0 and <= 1.0"),
            ({"loss": "huber"}, ValueError, r"loss='huber' should be one of 'exponential', 'log_loss'"),
            ({"loss": "exponential"}, ValueError, r"loss='exponential' is only suitable for a binary classification"),
            ({"init": "one"}, ValueError, r"init='one' should be 'zero', None or an estimator with fit and predict_"),
            ({"init": GradientBoostingRegressor()}, TypeError, r"init should be 'zero', None or an estimator with fit "
                                                               r"and predict_proba; got GradientBoostingRegressor"),
            ({"n_iter_no_change": 0}, ValueError, r"n_iter_no_change=0 should be >= 1"),
        ]),
    "GradientBoostingRegressor": Recipe(
        lambda: GradientBoostingRegressor(n_estimators=5, max_depth=2, random_state=0), "regression", [
            ({"loss": "log_loss"}, ValueError, r"loss='log_loss' should be one of 'absolute_error', 'huber'"),
            ({"alpha": 1.0}, ValueError, r"alpha=1.0 should be > 0.0 and < 1.0"),
            ({"n_estimators": 0}, ValueError, r"n_estimators=0 should be >= 1"),
            ({"validation_fraction": 1.0, "n_iter_no_change": 2}, ValueError,
             r"validation_fraction=1.0 should be > 0.0 and < 1.0"),
            ({"criterion": "absolute_error"}, ValueError, r"criterion='absolute_error' should be one of"),
            ({"max_features": 11}, ValueError, r"max_features=11 should be <= n_features=10"),
        ]),
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
    # coordinate descent from NNDSVDa on iris (its measurements are >= 0): 81 sweeps, as scikit-learn
    "NMF": Recipe(lambda: NMF(n_components=2), "X", [
        ({"n_components": 0}, ValueError, r"n_components=0 should be >= 1"),
        ({"solver": "nosuch"}, ValueError, r"solver='nosuch' should be one of 'cd', 'mu'"),
        ({"beta_loss": "kullback-leibler"}, ValueError, r"solver 'cd' does not handle beta_loss='kullback-leibler'"),
        ({"init": "nndsvd", "n_components": 10}, ValueError,
         r"init='nndsvd' can only be used when n_components <= min\(n_samples, n_features\)"),
        ({"init": "custom"}, ValueError, r"init='custom' needs both W and H"),
        ({"alpha_H": -1.0}, ValueError, r"alpha_H=-1.0 should be >= 0"),
        ({"l1_ratio": 2.0}, ValueError, r"l1_ratio=2.0 should be >= 0 and <= 1"),
        ({"shuffle": "yes"}, TypeError, r"shuffle should be a bool; got 'yes'"),
    ]),
}
