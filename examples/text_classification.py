"""Text classification: which package of Python's standard library does a docstring come from?

    python examples/text_classification.py --backend numpy      (or torch, jax, cupy, "torch:cuda", ...)

The corpus is real text that every Python installation carries, so the script needs no download:
the docstrings of the functions, classes and methods of six packages of the standard library
(asyncio, email, http, logging, unittest, xml), each labelled by its package. The script

1. reads the corpus: raw strings and their labels;
2. turns each docstring into a row of TF-IDF weights with TfidfVectorizer: a "bag of words" that keeps
   how often each word occurs in the docstring, weighs down the words found in many docstrings, and
   forgets the order. The result is a scipy.sparse matrix: a docstring uses a few dozen words of a
   vocabulary of thousands, and only those are stored;
3. fits two classifiers on that sparse matrix: MultinomialNB and LogisticRegression, which move it to
   the backend you choose and compute there;
4. scores them on held-out docstrings, with accuracy, a confusion matrix and a classification report;
5. lists the words that most point to each package, from LogisticRegression's weights;
6. classifies sentences it has never seen, and saves a figure.

The tokenizing (splitting into words, counting) is plain Python string work on the host.
"""

import argparse
import importlib
import inspect
import os
import pkgutil

import numpy as np

import xpml
import xpml.plot
from xpml.feature_extraction.text import TfidfVectorizer
from xpml.linear_model import LogisticRegression
from xpml.metrics import accuracy_score, classification_report, confusion_matrix
from xpml.model_selection import train_test_split
from xpml.naive_bayes import MultinomialNB

SMALL = os.environ.get("XPML_EXAMPLE_SMALL") == "1"  # the test suite runs a shortened version
PACKAGES = ["asyncio", "email", "http", "logging", "unittest", "xml"]


def docstrings(package):
    """The distinct docstrings (80 characters or more) of the modules of `package` and of their functions,
    classes and methods."""
    root = importlib.import_module(package)
    names = [package] + [m.name for m in pkgutil.walk_packages(root.__path__, package + ".")]
    found = {}
    for name in names:
        if ".test" in name or name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(name)
        except ImportError:  # a module for another platform (asyncio.windows_events on Linux, say)
            continue
        objects = [module]
        for obj in vars(module).values():
            if not (inspect.isclass(obj) or inspect.isfunction(obj)) or obj.__module__ != name:
                continue  # a constant, or imported from elsewhere
            objects.append(obj)
            if inspect.isclass(obj):
                objects += [f for f in vars(obj).values() if inspect.isfunction(f)]  # its methods
        for obj in objects:
            doc = inspect.getdoc(obj)
            if doc and len(doc) >= 80:
                found.setdefault(doc, None)  # a dict keeps the first occurrence, in order
    return list(found)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="numpy",
                        help="numpy, torch, jax, cupy, array_api_strict, 'torch:cuda', ...")
    parser.add_argument("--out", default="text_classification.png", help="where to save the figure")
    args = parser.parse_args()
    backend = xpml.set_backend(args.backend)
    print(f"backend: {backend}\n")

    # 1. The corpus: raw strings and their labels
    texts, labels = [], []
    for package in PACKAGES:
        docs = docstrings(package)[:60 if SMALL else None]
        texts += docs
        labels += [package] * len(docs)
    labels = np.array(labels)
    print(f"1. {len(texts)} docstrings: " + ", ".join(f"{p} {np.sum(labels == p)}" for p in PACKAGES))
    print(f"   e.g. ({labels[0]}) {texts[0][:100]!r}...\n")

    # Hold out a quarter, with the same share of each package in both parts
    index_train, index_test = train_test_split(np.arange(len(texts)), test_size=0.25, stratify=labels,
                                               random_state=0)
    train_texts, test_texts = [texts[i] for i in index_train], [texts[i] for i in index_test]
    y_train, y_test = labels[index_train], labels[index_test]

    # 2. TF-IDF. The vocabulary and the idf weights are learned on the training docstrings only. Words of
    #    two letters or more; English stop words ("the", "of", ...) dropped; pairs of words too ("event loop").
    #    min_df=2: a word must occur in 2 training docstrings to be a column. Each row is scaled to length 1.
    vectorizer = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    X_train = vectorizer.fit_transform(train_texts)  # (n_train, n_terms), scipy.sparse CSR
    X_test = vectorizer.transform(test_texts)  # the same columns; words unseen in training are dropped
    terms = vectorizer.get_feature_names_out()
    print(f"2. TF-IDF: {X_train.shape[0]} x {X_train.shape[1]} terms, {type(X_train).__name__}, "
          f"{X_train.nnz / np.prod(X_train.shape):.2%} of the entries stored")
    first = X_train[0]
    top = first.indices[np.argsort(-first.data, kind="stable")[:6]]
    print("   the heaviest terms of the first training docstring: " +
          ", ".join(f"{terms[j]} {first[0, j]:.2f}" for j in top) + "\n")

    # 3. Two classifiers, fitted on the sparse matrix. MultinomialNB learns, for each package, how much
    #    weight each term gets there; LogisticRegression learns one weight per (package, term).
    models = {"MultinomialNB": MultinomialNB(alpha=0.05),
              "LogisticRegression": LogisticRegression(C=20.0, max_iter=500)}
    for name, model in models.items():
        model.fit(X_train, y_train)

    # 4. Held-out scores
    print("3-4. Held-out accuracy:")
    for name, model in models.items():
        print(f"   {name:<20} {accuracy_score(y_test, model.predict(X_test)):.3f}")
    logistic = models["LogisticRegression"]
    y_pred = logistic.predict(X_test)
    print("\n   LogisticRegression's confusion matrix (rows: true package, columns: predicted):")
    matrix = xpml.to_numpy(confusion_matrix(y_test, y_pred, labels=PACKAGES))
    print("   " + " " * 10 + "".join(f"{p[:8]:>9}" for p in PACKAGES))
    for package, row in zip(PACKAGES, matrix):
        print(f"   {package:<10}" + "".join(f"{int(v):9d}" for v in row))
    print("\n" + classification_report(y_test, y_pred, digits=3))

    # 5. The terms that point most to each package: the largest weights of its row of coef_
    coef = xpml.to_numpy(logistic.coef_)  # (n_packages, n_terms)
    print("5. The terms that point most to each package:")
    for c, package in enumerate(logistic.classes_):
        print(f"   {package:<9} " + ", ".join(terms[np.argsort(-coef[c], kind="stable")[:7]]))
    print()

    # 6. New sentences
    new = ["Wait for the coroutine to finish and cancel the pending tasks",
           "Parse the MIME message and return its Content-Type header",
           "Send a GET request to the server and read the status code of the response",
           "Emit the record to every handler at or above the WARNING level",
           "Assert that the two values are equal, or fail the test",
           "Return the child elements of this node in document order"]
    proba = logistic.predict_proba(vectorizer.transform(new))  # (6, n_packages)
    print("6. New sentences, and LogisticRegression's most likely package:")
    for text, row in zip(new, proba):
        print(f"   {text[:60]:<60} -> {logistic.classes_[np.argmax(row)]:<9} ({np.max(row):.2f})")

    # A picture: the confusion matrix, and each package's strongest terms
    from matplotlib.figure import Figure

    fig = Figure(figsize=(12, 4.8), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.2])
    xpml.plot.confusion_matrix(y_test, y_pred, labels=PACKAGES, ax=left,
                               title="Held-out docstrings: true against predicted package")
    for c, package in enumerate(logistic.classes_):
        best = np.argsort(-coef[c], kind="stable")[:3]
        right.barh([f"{package}: {terms[j]}" for j in best], coef[c, best])
    right.invert_yaxis()
    right.set(xlabel="LogisticRegression weight", title="The terms that point most to each package")
    fig.savefig(args.out, dpi=100)
    print(f"\nsaved {args.out}")


if __name__ == "__main__":
    main()
