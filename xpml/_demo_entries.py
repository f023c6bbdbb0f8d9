"""The demo's entries: every model xpml has, with the data set it learns and how it is scored (`_entries`).

`xpml._demo` runs them. A reinforcement-learning agent's "data set" is an environment (`ENVIRONMENTS`): it learns by
acting in it, and is scored by the mean return of its greedy policy there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

@dataclass(frozen=True)
class DemoEntry:
    model: str
    dataset: str
    metric: str  # "R²", "D²" or "accuracy": what `model.score` (or `score`) returns
    build: Callable[[str], object]  # backend spec -> an unfitted estimator
    score: Callable | None = None  # (fitted model, X, y) -> float, for models without a `score`; None: model.score
    prepare: Callable | None = None  # (X, y) -> (X, y): a task made from the data set (several targets), or None


def _two_targets(X, y):
    """Diabetes as a task of two targets: the progression and s5 (the log of serum triglycerides), from the other
    nine variables."""
    return np.delete(X, 8, axis=1), np.column_stack([y, X[:, 8]])


def _environment(name: str):
    from .rl import FrozenLake

    return {"frozen-lake": lambda: FrozenLake(is_slippery=False)}[name]()


ENVIRONMENTS = ("frozen-lake",)  # data sets that are environments: fit(env), scored by `_mean_return`


def _mean_return(model, env) -> float:
    """The mean return of the agent's greedy policy over 100 episodes (a seeded start)."""
    from .rl import evaluate

    return evaluate(model, env, 100, seed=0)


def _rare_malignant(X, y):
    """An outlier task from breast_cancer: the 357 benign tumours and the first 35 malignant ones (a tenth as many),
    labelled 1 (the outliers) and 0."""
    malignant = np.flatnonzero(y == 0)[:35]
    keep = np.concatenate([np.flatnonzero(y == 1), malignant])
    return X[keep], (y[keep] == 0).astype(np.int64)


def _outlier_auc(model, X, y) -> float:
    """ROC AUC of the outlier detector's ranking (-score_samples: the more abnormal, the higher) against the labels."""
    from .metrics import roc_auc_score

    return roc_auc_score(y, -model.score_samples(X))


def _clustering_ari(model, X, y) -> float:
    """DBSCAN and AgglomerativeClustering have no predict: each clusters the held-out part afresh (fit_predict),
    scored by the adjusted Rand index of its clusters (DBSCAN's noise as one more) against the classes."""
    from .metrics import adjusted_rand_score

    return float(adjusted_rand_score(y, model.fit_predict(X)))


def _reconstruction_r2(model, X, y) -> float:
    """The fraction of the variance of X that transform + inverse_transform keep."""
    from .metrics import r2_score

    return r2_score(X, model.inverse_transform(model.transform(X)), multioutput="variance_weighted")


def _entries() -> list[DemoEntry]:
    from .cluster import AgglomerativeClustering, DBSCAN, FeatureAgglomeration, KMeans, MiniBatchKMeans
    from .decomposition import PCA, TruncatedSVD
    from .decomposition import IncrementalPCA, KernelPCA
    from .decomposition import NMF
    from .ensemble import (
        AdaBoostClassifier,
        AdaBoostRegressor,
        BaggingClassifier,
        BaggingRegressor,
        ExtraTreesClassifier,
        ExtraTreesRegressor,
        GradientBoostingClassifier,
        GradientBoostingRegressor,
        HistGradientBoostingClassifier,
        HistGradientBoostingRegressor,
        IsolationForest,
        RandomForestClassifier,
        RandomForestRegressor,
        StackingClassifier,
        StackingRegressor,
        VotingClassifier,
        VotingRegressor,
    )
    from .feature_selection import SelectKBest
    from .kernel_ridge import KernelRidge
    from .linear_model import (
        ElasticNet,
        ElasticNetCV,
        HuberRegressor,
        Lasso,
        LassoCV,
        LinearRegression,
        MultiTaskElasticNet,
        MultiTaskLasso,
        LogisticRegression,
        LogisticRegressionCV,
        Perceptron,
        QuantileRegressor,
        Ridge,
        RidgeClassifier,
        RidgeClassifierCV,
        RidgeCV,
        SGDClassifier,
        SGDRegressor,
    )
    from .linear_model import GammaRegressor, PoissonRegressor, TweedieRegressor
    from .naive_bayes import BernoulliNB, CategoricalNB, ComplementNB, GaussianNB, MultinomialNB
    from .neighbors import (KNeighborsClassifier, KNeighborsRegressor, RadiusNeighborsClassifier,
                            RadiusNeighborsRegressor)
    from .neural_network import MLPClassifier, MLPRegressor
    from .pipeline import make_pipeline
    from .preprocessing import (KBinsDiscretizer, PowerTransformer, QuantileTransformer, SplineTransformer,
                                StandardScaler)
    from .rl import QLearning
    from .svm import SVC, SVR, LinearSVC, LinearSVR
    from .tree import DecisionTreeClassifier, DecisionTreeRegressor, ExtraTreeClassifier, ExtraTreeRegressor

    return [
        # linear models
        DemoEntry("LinearRegression", "diabetes", "R²", lambda b: LinearRegression(backend=b)),
        DemoEntry("Scaler+LinearRegression", "diabetes", "R²",
                  lambda b: make_pipeline(StandardScaler(backend=b), LinearRegression(backend=b))),
        DemoEntry("Ridge", "diabetes", "R²", lambda b: Ridge(alpha=0.1, backend=b)),
        DemoEntry("RidgeCV", "diabetes", "R²", lambda b: RidgeCV(alphas=[0.001, 0.01, 0.1, 1.0], backend=b)),
        DemoEntry("Scaler+RidgeClassifier", "breast_cancer", "accuracy",
                  lambda b: make_pipeline(StandardScaler(backend=b), RidgeClassifier(backend=b))),
        DemoEntry("Scaler+RidgeClassifierCV", "wine", "accuracy",
                  lambda b: make_pipeline(StandardScaler(backend=b),
                                          RidgeClassifierCV(alphas=[0.1, 1.0, 10.0], backend=b))),
        DemoEntry("Lasso", "diabetes", "R²", lambda b: Lasso(alpha=0.1, backend=b)),
        DemoEntry("ElasticNet", "diabetes", "R²", lambda b: ElasticNet(alpha=0.001, l1_ratio=0.5, backend=b)),
        DemoEntry("LassoCV", "diabetes", "R²", lambda b: LassoCV(alphas=20, cv=3, backend=b)),
        DemoEntry("ElasticNetCV", "diabetes", "R²",
                  lambda b: ElasticNetCV(l1_ratio=[0.5, 0.9], alphas=10, cv=3, backend=b)),
        DemoEntry("MultiTaskLasso", "diabetes", "R²", lambda b: MultiTaskLasso(alpha=0.01, backend=b),
                  prepare=_two_targets),
        DemoEntry("MultiTaskElasticNet", "diabetes", "R²",
                  lambda b: MultiTaskElasticNet(alpha=0.001, l1_ratio=0.5, backend=b), prepare=_two_targets),
        DemoEntry("LogisticRegression", "iris", "accuracy", lambda b: LogisticRegression(backend=b)),
        DemoEntry("Scaler+LogisticRegression", "digits", "accuracy",
                  lambda b: make_pipeline(StandardScaler(backend=b), LogisticRegression(C=0.1, backend=b))),
        DemoEntry("Scaler+LogisticRegressionCV", "breast_cancer", "accuracy",
                  lambda b: make_pipeline(StandardScaler(backend=b), LogisticRegressionCV(Cs=5, cv=3, backend=b))),
        # the 10 of 30 features with the largest ANOVA F between the classes
        DemoEntry("SelectKBest+LogisticRegression", "breast_cancer", "accuracy", lambda b: make_pipeline(
            StandardScaler(backend=b), SelectKBest(k=10, backend=b), LogisticRegression(backend=b))),
        # each feature through its quantiles to a normal distribution, or cut into 5 bins of equal counts (one-hot)
        DemoEntry("Quantile+LogisticRegression", "breast_cancer", "accuracy", lambda b: make_pipeline(
                      QuantileTransformer(n_quantiles=100, output_distribution="normal", backend=b),
                      LogisticRegression(backend=b))),
        DemoEntry("KBins+LogisticRegression", "wine", "accuracy", lambda b: make_pipeline(
                      KBinsDiscretizer(5, encode="onehot-dense", backend=b), LogisticRegression(backend=b))),
        # each feature through 5 cubic B-splines (knots at its quantiles): a smooth additive model, ridge-penalized
        DemoEntry("Spline+Ridge", "diabetes", "R²", lambda b: make_pipeline(
                      SplineTransformer(n_knots=5, knots="quantile", backend=b), Ridge(alpha=0.01, backend=b))),
        # SGD wants features of unit scale: the digits' pixels (0 to 16) are standardized first, and
        # diabetes' columns have norm 1 (std 0.05), which the default eta0=0.01 would crawl over.
        # Batches keep the demo quick on every backend.
        DemoEntry("Scaler+SGDClassifier", "digits", "accuracy",
                  lambda b: make_pipeline(StandardScaler(backend=b), SGDClassifier(
                      loss="log_loss", alpha=1e-3, batch_size=32, random_state=0, backend=b))),
        DemoEntry("SGDRegressor", "diabetes", "R²",
                  lambda b: SGDRegressor(eta0=2.0, batch_size=16, random_state=0, backend=b)),
        DemoEntry("LinearSVC", "iris", "accuracy", lambda b: LinearSVC(backend=b)),
        # diabetes' columns have norm 1 (std 0.05): standardized, so that C and alpha weigh unit-scale coefficients
        DemoEntry("Scaler+LinearSVR", "diabetes", "R²",
                  lambda b: make_pipeline(StandardScaler(backend=b), LinearSVR(C=10.0, epsilon=5.0, backend=b))),
        DemoEntry("Scaler+HuberRegressor", "diabetes", "R²",
                  lambda b: make_pipeline(StandardScaler(backend=b), HuberRegressor(backend=b))),
        # the conditional median, by linear programming; alpha is scaled by the samples' count: 0.01 is a light penalty
        DemoEntry("Scaler+QuantileRegressor", "diabetes", "R²",
                  lambda b: make_pipeline(StandardScaler(backend=b), QuantileRegressor(alpha=0.01, backend=b))),
        # GLMs of the progression, a positive target (25 to 346): D², the share of the mean's deviance explained
        DemoEntry("Scaler+PoissonRegressor", "diabetes", "D²",
                  lambda b: make_pipeline(StandardScaler(backend=b), PoissonRegressor(alpha=0.01, backend=b))),
        DemoEntry("Scaler+GammaRegressor", "diabetes", "D²", lambda b: make_pipeline(
                      StandardScaler(backend=b), GammaRegressor(alpha=0.01, solver="newton-cholesky", backend=b))),
        DemoEntry("Scaler+TweedieRegressor", "diabetes", "D²", lambda b: make_pipeline(
                      StandardScaler(backend=b), TweedieRegressor(power=1.5, alpha=0.01, backend=b))),
        DemoEntry("Scaler+Perceptron", "wine", "accuracy",
                  lambda b: make_pipeline(StandardScaler(backend=b), Perceptron(batch_size=8, backend=b))),
        # the tumours' measurements are skewed (areas, concavities): made Gaussian-like, then standardized
        DemoEntry("Power+LogisticRegression", "breast_cancer", "accuracy",
                  lambda b: make_pipeline(PowerTransformer(backend=b), LogisticRegression(backend=b))),
        # kernel methods
        DemoEntry("Scaler+SVC", "breast_cancer", "accuracy",
                  lambda b: make_pipeline(StandardScaler(backend=b), SVC(backend=b))),
        DemoEntry("Scaler+SVR", "diabetes", "R²",
                  lambda b: make_pipeline(StandardScaler(backend=b), SVR(C=50.0, epsilon=10.0, backend=b))),
        DemoEntry("KernelRidge", "diabetes", "R²",
                  lambda b: KernelRidge(alpha=0.01, kernel="rbf", gamma=1.0, backend=b)),
        # neighbours and naive Bayes
        DemoEntry("KNeighborsClassifier", "digits", "accuracy", lambda b: KNeighborsClassifier(backend=b)),
        DemoEntry("KNeighborsRegressor", "diabetes", "R²", lambda b: KNeighborsRegressor(n_neighbors=10, backend=b)),
        DemoEntry("RadiusNeighborsClassifier", "iris", "accuracy", lambda b: RadiusNeighborsClassifier(
                      radius=1.0, weights="distance", outlier_label="most_frequent", backend=b)),
        # every test patient has a training one within 0.14 (no NaN prediction); NearestNeighbors predicts nothing to
        # score: the benchmark times its kneighbors queries (nearest_neighbors)
        DemoEntry("RadiusNeighborsRegressor", "diabetes", "R²",
                  lambda b: RadiusNeighborsRegressor(radius=0.15, backend=b)),
        DemoEntry("GaussianNB", "wine", "accuracy", lambda b: GaussianNB(backend=b)),
        DemoEntry("MultinomialNB", "digits", "accuracy", lambda b: MultinomialNB(backend=b)),  # pixel counts
        DemoEntry("BernoulliNB", "digits", "accuracy", lambda b: BernoulliNB(binarize=7.0, backend=b)),  # ink or not
        DemoEntry("ComplementNB", "breast_cancer", "accuracy", lambda b: ComplementNB(backend=b)),
        # each pixel's 17 intensities as categories: min_categories, as the test split has some the training one lacks
        DemoEntry("CategoricalNB", "digits", "accuracy", lambda b: CategoricalNB(min_categories=17, backend=b)),
        # trees
        DemoEntry("DecisionTreeClassifier", "wine", "accuracy",
                  lambda b: DecisionTreeClassifier(max_depth=4, random_state=0, backend=b)),
        DemoEntry("DecisionTreeRegressor", "diabetes", "R²",
                  lambda b: DecisionTreeRegressor(max_depth=3, min_samples_leaf=10, backend=b)),
        DemoEntry("RandomForestClassifier", "breast_cancer", "accuracy",
                  lambda b: RandomForestClassifier(n_estimators=50, max_depth=8, random_state=0, backend=b)),
        DemoEntry("RandomForestRegressor", "diabetes", "R²",
                  lambda b: RandomForestRegressor(n_estimators=50, max_depth=6, random_state=0, backend=b)),
        DemoEntry("ExtraTreeClassifier", "breast_cancer", "accuracy",
                  lambda b: ExtraTreeClassifier(random_state=0, backend=b)),
        DemoEntry("ExtraTreeRegressor", "diabetes", "R²",
                  lambda b: ExtraTreeRegressor(max_depth=4, min_samples_leaf=10, random_state=0, backend=b)),
        DemoEntry("ExtraTreesClassifier", "breast_cancer", "accuracy",
                  lambda b: ExtraTreesClassifier(n_estimators=20, max_depth=8, random_state=0, backend=b)),
        DemoEntry("ExtraTreesRegressor", "diabetes", "R²",
                  lambda b: ExtraTreesRegressor(n_estimators=20, max_depth=6, random_state=0, backend=b)),
        # an outlier detector: fitted on the features alone, scored by how it ranks the malignant tumours planted
        # among the benign ones
        DemoEntry("IsolationForest", "breast_cancer", "ROC AUC",
                  lambda b: IsolationForest(n_estimators=50, random_state=0, backend=b), score=_outlier_auc,
                  prepare=_rare_malignant),
        # meta-ensembles, of members (and data sets) the entries above use, so jax compiles little more
        DemoEntry("AdaBoostClassifier", "wine", "accuracy",
                  lambda b: AdaBoostClassifier(n_estimators=20, random_state=0, backend=b)),
        DemoEntry("AdaBoostRegressor", "diabetes", "R²", lambda b: AdaBoostRegressor(
                      DecisionTreeRegressor(max_depth=3, min_samples_leaf=10), n_estimators=10, random_state=0,
                      backend=b)),
        DemoEntry("BaggingClassifier", "wine", "accuracy", lambda b: BaggingClassifier(
                      DecisionTreeClassifier(max_depth=4), n_estimators=10, random_state=0, backend=b)),
        DemoEntry("BaggingRegressor", "diabetes", "R²", lambda b: BaggingRegressor(
                      DecisionTreeRegressor(max_depth=3, min_samples_leaf=10), n_estimators=10, random_state=0,
                      backend=b)),
        DemoEntry("VotingClassifier", "iris", "accuracy", lambda b: VotingClassifier(
                      [("lr", LogisticRegression()), ("nb", GaussianNB())], voting="soft", backend=b)),
        DemoEntry("VotingRegressor", "diabetes", "R²", lambda b: VotingRegressor(
                      [("ridge", Ridge(alpha=0.1)), ("tree", DecisionTreeRegressor(max_depth=3, min_samples_leaf=10))],
                      backend=b)),
        DemoEntry("StackingClassifier", "iris", "accuracy", lambda b: StackingClassifier(
                      [("lr", LogisticRegression()), ("nb", GaussianNB())], backend=b)),
        DemoEntry("StackingRegressor", "diabetes", "R²", lambda b: StackingRegressor(
                      [("ridge", Ridge(alpha=0.1)), ("tree", DecisionTreeRegressor(max_depth=3, min_samples_leaf=10))],
                      backend=b)),
        DemoEntry("HistGradientBoostingClassifier", "breast_cancer", "accuracy",
                  lambda b: HistGradientBoostingClassifier(max_iter=20, random_state=0, backend=b)),
        DemoEntry("HistGradientBoostingRegressor", "diabetes", "R²",
                  lambda b: HistGradientBoostingRegressor(max_iter=20, random_state=0, backend=b)),
        DemoEntry("GradientBoostingClassifier", "wine", "accuracy",
                  lambda b: GradientBoostingClassifier(n_estimators=30, random_state=0, backend=b)),
        DemoEntry("GradientBoostingRegressor", "diabetes", "R²",
                  lambda b: GradientBoostingRegressor(n_estimators=50, learning_rate=0.05, random_state=0, backend=b)),
        # neural networks
        DemoEntry("MLPClassifier", "digits", "accuracy",
                  lambda b: MLPClassifier(hidden_layer_sizes=(64,), learning_rate_init=0.01, batch_size=128,
                                          random_state=0, backend=b)),
        DemoEntry("MLPRegressor", "diabetes", "R²",
                  lambda b: MLPRegressor(hidden_layer_sizes=(16,), learning_rate_init=0.1, max_iter=500,
                                         random_state=0, backend=b)),
        # clustering and decomposition
        DemoEntry("KMeans", "iris", "-inertia", lambda b: KMeans(n_clusters=3, n_init=10, random_state=0, backend=b)),
        DemoEntry("MiniBatchKMeans", "digits", "-inertia",
                  lambda b: MiniBatchKMeans(n_clusters=10, batch_size=256, random_state=0, backend=b)),
        DemoEntry("DBSCAN", "iris", "ARI", lambda b: DBSCAN(eps=0.6, min_samples=3, backend=b), score=_clustering_ari),
        DemoEntry("AgglomerativeClustering", "iris", "ARI", lambda b: AgglomerativeClustering(3, backend=b),
                  score=_clustering_ari),
        DemoEntry("FeatureAgglomeration+LR", "digits", "accuracy", lambda b: make_pipeline(  # 64 pixels into 24
            FeatureAgglomeration(24, backend=b), StandardScaler(backend=b), LogisticRegression(C=0.1, backend=b))),
        DemoEntry("PCA", "digits", "log-lik.", lambda b: PCA(n_components=20, backend=b)),
        DemoEntry("TruncatedSVD", "digits", "recon. R²",
                  lambda b: TruncatedSVD(n_components=20, random_state=0, backend=b), score=_reconstruction_r2),
        DemoEntry("IncrementalPCA", "digits", "recon. R²",  # batches of 200 images
                  lambda b: IncrementalPCA(n_components=20, batch_size=200, backend=b), score=_reconstruction_r2),
        DemoEntry("NMF", "digits", "recon. R²",  # 10 non-negative parts of the images (pixel intensities >= 0)
                  lambda b: NMF(n_components=10, max_iter=400, random_state=0, backend=b), score=_reconstruction_r2),
        DemoEntry("KernelPCA+LR", "wine", "accuracy", lambda b: make_pipeline(  # 13 scaled features into 8 rbf axes
            StandardScaler(backend=b), KernelPCA(8, kernel="rbf", gamma=0.1, backend=b),
            LogisticRegression(backend=b))),
        # reinforcement learning: the data set is an environment, the score the fraction of episodes that succeed
        DemoEntry("QLearning", "frozen-lake", "success", lambda b: QLearning(n_episodes=600, random_state=0, backend=b),
                  score=_mean_return),
    ]
