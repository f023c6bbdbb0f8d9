"""xpml as a drop-in for scikit-learn code: the same signatures and the same fitted attributes.

1. Constructors (API.md section 3): for every public xpml estimator with a scikit-learn namesake,
   `__init__`'s parameters have scikit-learn's names, defaults, order and kind (positional-or-keyword
   where scikit-learn's are, keyword-only where scikit-learn's are). xpml's own parameters (`backend`,
   `dtype`, ...) come after them all and are keyword-only.
2. Methods: `fit`, `partial_fit`, `predict`, `transform`, `score`, ... take scikit-learn's parameters.
3. Functions and splitters of the public modules (train_test_split, KFold, accuracy_score, ...): the same.
4. Fitted attributes: fitted on the same small data, an estimator has scikit-learn's public fitted
   attributes (`vars(est)` names ending in "_"), each of the same kind (int, float, array of the same
   shape, list of the same length, ...).
5. Methods there: fitted alike, an estimator answers to every public method scikit-learn's does
   (`predict_log_proba`, `kneighbors_graph`, `cost_complexity_pruning_path`, ...).

Each comparison is one test per estimator (or function), so the report shows which match. The
differences accepted, with the reason for each, are in `ACCEPTED`; anything else is a failure.
"""

import functools
import importlib
import inspect
import math
import numbers
import warnings

import numpy as np
import pytest
import sklearn
import sklearn.base

from tests._common_recipes import DATA, RECIPES
from xpml._backend import library_of, to_numpy
from xpml.utils.discovery import PUBLIC_MODULES, all_estimators

# scikit-learn's home of an xpml module where the names differ.
SKLEARN_MODULES = {"preprocessing": ("sklearn.preprocessing", "sklearn.impute")}

# (owner, parameter or attribute) -> why xpml differs from scikit-learn there. The owner is a class or
# function name; "owner.method" for a method's parameters; "*" for every owner.
ACCEPTED = {
    **{(owner, "score_func"): (
        "xpml's f_classif (xpml.feature_selection, the same scores on every backend) rather than scikit-learn's "
        "function of the same name and signature"
    ) for owner in ("SelectKBest", "SelectPercentile")},
    ("StandardScaler", "n_samples_seen_"): (
        "scikit-learn documents an int (the number of samples seen) but stores a float; xpml stores the int "
        "it documents (a 0-d array, the total weight, after a fit with sample_weight)"
    ),
    ("IncrementalPCA", "n_samples_seen_"): (
        "scikit-learn documents an int (the number of samples seen) but stores a float; xpml stores the int"
    ),
    ("SGDClassifier", "t_"): (
        "scikit-learn documents an int (the number of weight updates) but stores a float; xpml stores the int"
    ),
    ("Perceptron", "t_"): (
        "scikit-learn documents an int (the number of weight updates) but stores a float; xpml stores the int"
    ),
    ("SVC", "probA_"): (
        "scikit-learn 1.9 deprecates it with probability=True (its property warns, so the comparison, which turns "
        "warnings into errors, cannot read it); xpml has it as scikit-learn documents it, empty without probability"
    ),
    ("SVC", "probB_"): (
        "scikit-learn 1.9 deprecates it with probability=True (its property warns, so the comparison, which turns "
        "warnings into errors, cannot read it); xpml has it as scikit-learn documents it, empty without probability"
    ),
    ("SGDRegressor", "t_"): (
        "scikit-learn documents an int (the number of weight updates) but stores a float; xpml stores the int"
    ),
    ("FeatureAgglomeration", "pooling_func"): (
        "scikit-learn's default is numpy.mean, a function: xpml's algorithm folders import no numpy, and a model file "
        "holds no function; xpml's default 'mean' computes the same means on the backend, and a callable (numpy.mean "
        "among them) is called as scikit-learn calls it, on each cluster's columns on the host"
    ),
    ("SimpleImputer", "indicator_"): (
        "scikit-learn holds a MissingIndicator estimator (None without add_indicator), which xpml does not have; "
        "xpml stores what it holds, the flagged columns, as indicator_features_ (scikit-learn's indicator_.features_)"
    ),
    ("MLPRegressor", "partial_fit"): (
        "scikit-learn 1.9's MLPRegressor makes partial_fit available on `est._check_solver` (the method, always "
        "true, not its result), so it shows with solver='lbfgs' (this recipe's) and runs an L-BFGS fit there; its "
        "MLPClassifier, and its documentation, keep partial_fit to 'sgd' and 'adam', as xpml does for both"
    ),
    ("Pipeline", "get_feature_names_out"): (
        "scikit-learn's Pipeline has the method whatever its last step, and fails when called on a last step without "
        "it (this recipe's regressor); xpml's is there only when the last step transforms"
    ),
    **{(owner, method): (
        "scikit-learn's sparsify stores coef_ as a scipy.sparse matrix (densify undoes it); xpml keeps fitted "
        "attributes arrays of the backend, on its device (API.md section 2), and predicts with them there"
    ) for owner in ("LinearSVC", "LogisticRegression", "LogisticRegressionCV", "Perceptron", "SGDClassifier",
                    "SGDRegressor")
       for method in ("densify", "sparsify")},
    **{(owner, name): (
        "scikit-learn 1.9's defaults are the sentinels of its deprecation of n_alphas ('deprecated', and 'warn' "
        "for alphas); xpml's None means what they mean, a grid of 100 values (or of n_alphas), without a warning"
    ) for owner in ("enet_path", "lasso_path", "ElasticNet.path", "Lasso.path", "ElasticNetCV.path", "LassoCV.path",
                    "MultiTaskElasticNet.path", "MultiTaskLasso.path")
      for name in ("n_alphas", "alphas")},
    ("SplineTransformer", "bsplines_"): (
        "scikit-learn's are scipy.interpolate.BSpline objects, one per feature; xpml has no scipy at run time and keeps "
        "fitted attributes arrays of the backend: the same knots (BSpline.t) are the columns of knots_, with degree"
    ),
    ("SplineTransformer", "knots_"): (
        "what xpml holds in place of bsplines_: each feature's knot vector, the added knots included (scikit-learn's "
        "bsplines_[j].t), as an array (n_knots + 2 * degree, n_features) of the backend"
    ),
    ("learning_curve", "train_sizes"): (
        "the same five fractions as a tuple: scikit-learn's default is a numpy array, a mutable default that the "
        "array-API model_selection does not build at import"
    ),
}


def accepted(owner, name):
    return (owner, name) in ACCEPTED or ("*", name) in ACCEPTED or (owner.split(".")[0], name) in ACCEPTED


def sklearn_namesake(module_name, name):
    """scikit-learn's object of the same name in the module of the same name, or None."""
    for sk_module in SKLEARN_MODULES.get(module_name, (f"sklearn.{module_name}",)):
        try:
            module = importlib.import_module(sk_module)
        except ImportError:
            continue
        if hasattr(module, name):
            return getattr(module, name)
    return None


def _module_of(cls):
    parts = cls.__module__.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


ESTIMATORS = [(name, cls, sklearn_namesake(_module_of(cls), name)) for name, cls in all_estimators()]
PAIRED = [(name, cls, sk) for name, cls, sk in ESTIMATORS if sk is not None]


# ---- comparing two signatures ---------------------------------------------------------------------

def _same_default(a, b):
    if a is b:
        return True
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    try:
        return type(a) is type(b) and bool(a == b) or (
            isinstance(a, numbers.Number) and isinstance(b, numbers.Number) and bool(a == b))
    except Exception:  # values without a plain ==
        return False


def _parameters(function):
    """The named parameters of a function or method (self, *args and **kwargs left out)."""
    if function is object.__init__:  # a class without __init__ (scikit-learn's LabelEncoder): no parameters
        return []
    params = list(inspect.signature(function).parameters.values())
    return [p for p in params if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def _var_kinds(function):
    if function is object.__init__:
        return set()
    return {p.kind for p in inspect.signature(function).parameters.values()
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}


def signature_differences(owner, ours, theirs):
    """Every way the signature of `ours` differs from that of `theirs`, as sentences (none: the same)."""
    problems = []
    mine = _parameters(ours)
    skl = [p for p in _parameters(theirs) if not accepted(owner, p.name)]
    mine_by_name = {p.name: p for p in mine}
    skl_names = [p.name for p in skl]
    for p in skl:
        q = mine_by_name.get(p.name)
        if q is None:
            problems.append(f"{p.name!r} is missing (scikit-learn: {p})")
            continue
        if q.kind != p.kind:
            problems.append(f"{p.name!r} is {q.kind.description}; scikit-learn's is {p.kind.description}")
        if not _same_default(q.default, p.default):
            problems.append(f"{p.name!r} defaults to {q.default!r}; scikit-learn's to {p.default!r}")
    shared = [p.name for p in mine if p.name in skl_names]
    if shared != [n for n in skl_names if n in mine_by_name]:
        problems.append(f"the order differs: {shared} against scikit-learn's {[n for n in skl_names if n in shared]}")
    own = [p for p in mine if p.name not in skl_names and not accepted(owner, p.name)]
    last_shared = max((i for i, p in enumerate(mine) if p.name in skl_names), default=-1)
    for p in own:
        if p.kind != p.KEYWORD_ONLY:
            problems.append(f"xpml's own {p.name!r} should be keyword-only")
        if mine.index(p) < last_shared:
            problems.append(f"xpml's own {p.name!r} should come after scikit-learn's parameters")
    if _var_kinds(theirs) - _var_kinds(ours):
        problems.append(f"scikit-learn's takes {sorted(k.description for k in _var_kinds(theirs))}; xpml's does not")
    return problems


# ---- 1. constructors ------------------------------------------------------------------------------

def test_the_comparison_covers_the_estimators():
    """Every public estimator with a scikit-learn namesake is compared; the others are listed here."""
    unpaired = sorted(name for name, _, sk in ESTIMATORS if sk is None)
    assert unpaired == [], f"xpml estimators without a scikit-learn namesake: {unpaired}"
    assert {"KMeans", "PCA", "Pipeline", "GridSearchCV", "SGDClassifier"} <= {name for name, _, _ in PAIRED}


@pytest.mark.parametrize("name, cls, sk", PAIRED, ids=[name for name, _, _ in PAIRED])
def test_constructor_signature_is_scikit_learns(name, cls, sk):
    problems = signature_differences(name, cls.__init__, sk.__init__)
    assert not problems, f"{name}.__init__: " + "; ".join(problems)


# ---- 2. methods -----------------------------------------------------------------------------------

METHODS = ("fit", "partial_fit", "predict", "predict_proba", "predict_log_proba", "decision_function",
           "transform", "fit_transform", "inverse_transform", "fit_predict", "score", "score_samples",
           "kneighbors", "kneighbors_graph", "radius_neighbors", "radius_neighbors_graph", "get_feature_names_out",
           "set_output", "path")
PAIRED_METHODS = [(f"{name}.{method}", getattr(cls, method), getattr(sk, method))
                  for name, cls, sk in PAIRED for method in METHODS
                  if callable(getattr(cls, method, None)) and callable(getattr(sk, method, None))]


@pytest.mark.parametrize("owner, ours, theirs", PAIRED_METHODS, ids=[owner for owner, _, _ in PAIRED_METHODS])
def test_method_signature_is_scikit_learns(owner, ours, theirs):
    problems = signature_differences(owner, ours, theirs)
    assert not problems, f"{owner}: " + "; ".join(problems)


# ---- 3. functions and splitters of the public modules ---------------------------------------------

def _public_functions():
    found = []
    for module_name in PUBLIC_MODULES + ("metrics", "inspection"):
        module = importlib.import_module(f"xpml.{module_name}")
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if any(obj is cls for _, cls, _ in ESTIMATORS):
                continue
            sk = sklearn_namesake(module_name, name)
            if sk is None or not callable(obj):
                continue
            found.append((name, obj.__init__ if inspect.isclass(obj) else obj,
                          sk.__init__ if inspect.isclass(sk) else sk))
    return sorted(found, key=lambda entry: entry[0])


FUNCTIONS = _public_functions()


@pytest.mark.parametrize("name, ours, theirs", FUNCTIONS, ids=[name for name, _, _ in FUNCTIONS])
def test_function_signature_is_scikit_learns(name, ours, theirs):
    problems = signature_differences(name, ours, theirs)
    assert not problems, f"{name}: " + "; ".join(problems)


# ---- 4. fitted attributes -------------------------------------------------------------------------

def kind(value):
    """What a user relies on in a fitted attribute: its type, and its shape or length."""
    if value is None or isinstance(value, (bool, np.bool_)):
        return repr(value) if value is None else "bool"
    if isinstance(value, numbers.Integral):
        return "int"
    if isinstance(value, numbers.Real):
        return "float"
    if isinstance(value, np.ndarray) or library_of(value) is not None:
        host = to_numpy(value)
        if host.ndim == 0 and host.dtype.kind == "f":
            return "float"  # a 0-d array of the backend stands for a float (fitted attributes stay on the device)
        return f"array{tuple(host.shape)}"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__}[{len(value)}]"
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, str):
        return "str"
    if hasattr(value, "get_params"):
        return "estimator"
    if callable(value):
        return "callable"
    return type(value).__name__


def fitted_attributes(estimator):
    """{name: kind} of the public fitted attributes: those set by fit (`vars`), and properties that answer
    (scikit-learn's PolynomialFeatures.powers_ and xpml's Pipeline.n_features_in_ are properties)."""
    found = {k: v for k, v in vars(estimator).items() if k.endswith("_") and not k.startswith("_")}
    for name in dir(type(estimator)):
        if name.endswith("_") and not name.startswith("_") and isinstance(getattr(type(estimator), name, None),
                                                                            property):
            try:
                found[name] = getattr(estimator, name)
            except Exception:  # a property that does not apply to this fit
                continue
    return {k: kind(v) for k, v in found.items()}


def _sklearn_twin(name, ours, sk):
    """scikit-learn's estimator of the same name with the same settings, where it has them."""
    if name == "Pipeline":
        return sklearn.base.clone(_as_sklearn_pipeline(ours))
    if name == "GridSearchCV":
        inner = sklearn_namesake("linear_model", type(ours.estimator).__name__)
        return sk(inner(), ours.param_grid, cv=ours.cv, error_score=ours.error_score)
    if name == "RandomizedSearchCV":
        inner = sklearn_namesake("linear_model", type(ours.estimator).__name__)
        return sk(inner(), ours.param_distributions, n_iter=ours.n_iter, cv=ours.cv, random_state=ours.random_state,
                  error_score=ours.error_score)
    names = {p.name for p in _parameters(sk.__init__)}  # (a parameter whose value is an accepted difference: its own)
    return sk(**{k: v for k, v in ours.get_params(deep=False).items() if k in names and not accepted(name, k)})


def _as_sklearn_pipeline(pipe):
    import sklearn.pipeline

    steps = []
    for step_name, est in pipe.steps:
        sk = sklearn_namesake(_module_of(type(est)), type(est).__name__)
        names = {p.name for p in _parameters(sk.__init__)}
        steps.append((step_name, sk(**{k: v for k, v in est.get_params(deep=False).items() if k in names})))
    return sklearn.pipeline.Pipeline(steps)


def _fit(name, estimator, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence on tiny data is not the point here
        if name in ("LabelBinarizer", "LabelEncoder", "MultiLabelBinarizer"):  # they encode labels: fit(y)
            return estimator.fit(y)
        return estimator.fit(X) if y is None else estimator.fit(X, y)


@functools.cache
def _fitted_alike(name, sk):
    """(xpml's estimator, scikit-learn's) of the same settings, fitted on the recipe's data; read, never changed, by
    the tests of fitted attributes and of methods."""
    recipe = RECIPES[name]
    X, y = DATA[recipe.data]
    ours = _fit(name, recipe.make(), X, y)
    return ours, _fit(name, _sklearn_twin(name, ours, sk), X, y)


@pytest.mark.parametrize("name, cls, sk", PAIRED, ids=[name for name, _, _ in PAIRED])
def test_fitted_attributes_are_scikit_learns(name, cls, sk):
    ours, theirs = _fitted_alike(name, sk)
    mine, skl = fitted_attributes(ours), fitted_attributes(theirs)
    problems = [f"{attr!r} is missing (scikit-learn's: {skl[attr]})" for attr in sorted(set(skl) - set(mine))
                if not accepted(name, attr)]
    problems += [f"{attr!r} is xpml's only" for attr in sorted(set(mine) - set(skl)) if not accepted(name, attr)]
    problems += [f"{attr!r} is {mine[attr]}; scikit-learn's is {skl[attr]}" for attr in sorted(set(mine) & set(skl))
                 if mine[attr] != skl[attr] and not accepted(name, attr)]
    assert not problems, f"{name}: " + "; ".join(problems)


def test_fitted_attributes_on_a_frame_include_the_feature_names():
    pd = pytest.importorskip("pandas")
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression

    from xpml.linear_model import LogisticRegression

    X, y = DATA["classification"]
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    mine = fitted_attributes(_fit("LogisticRegression", LogisticRegression(), frame, y))
    skl = fitted_attributes(_fit("LogisticRegression", SkLogisticRegression(), frame, y))
    assert mine["feature_names_in_"] == skl["feature_names_in_"] == "array(4,)"


# ---- 5. methods -----------------------------------------------------------------------------------

# scikit-learn's machinery that xpml does not have: metadata routing (`set_fit_request`, ...), and the
# experimental callbacks of scikit-learn 1.9.
SKLEARN_MACHINERY = ("get_metadata_routing", "set_callbacks")


def public_methods(estimator):
    """The public methods (and static functions) an estimator answers to: available_if's absent ones left out,
    properties that give a method in (xpml's LogisticRegression.predict_proba, for one)."""
    found = set()
    for name in dir(type(estimator)):
        if name.startswith("_") or name.endswith("_") or name in SKLEARN_MACHINERY or name.endswith("_request"):
            continue
        try:
            if callable(getattr(estimator, name)):
                found.add(name)
        except AttributeError:  # absent for this estimator's settings
            continue
    return found


@pytest.mark.parametrize("name, cls, sk", PAIRED, ids=[name for name, _, _ in PAIRED])
def test_fitted_estimator_has_scikit_learns_methods(name, cls, sk):
    """Fitted alike, an estimator answers to every public method scikit-learn's does."""
    ours, theirs = _fitted_alike(name, sk)
    missing = sorted(m for m in public_methods(theirs) - public_methods(ours) if not accepted(name, m))
    assert not missing, f"{name} lacks scikit-learn's {missing}"
