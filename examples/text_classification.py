"""Classifying short texts with a bag of words and multinomial naive Bayes.

    python examples/text_classification.py --backend numpy      (or torch, jax, cupy, "torch:cuda", ...)

The corpus is in this file: 96 one-line texts on four topics (sport, cooking, weather, computers).
The script

1. turns each text into a row of word counts over the vocabulary of the training texts: a "bag of
   words", which keeps how often each word occurs and forgets their order (and drops "stop words"
   such as "the", which occur everywhere);
2. fits MultinomialNB, which learns for each topic c a distribution θ_c over the words, and scores
   the held-out texts. A text's score for a topic is log P(c) + Σ_words count · log θ_c,word;
3. lists the words that most set each topic apart from the others;
4. classifies new sentences, and takes one apart word by word to show where its score comes from;
5. learns the same model again from a stream of small batches with partial_fit.

The counting is plain Python on the host; the model computes on the backend you choose.
"""

import argparse
import re
from collections import Counter

import numpy as np

import xpml
import xpml.plot
from xpml import to_numpy
from xpml.naive_bayes import MultinomialNB

CORPUS = {
    "sport": [
        "the striker scored a late goal and the crowd went wild",
        "our team won the match after extra time",
        "the goalkeeper saved a penalty in the final minute",
        "she ran the marathon in under three hours",
        "the coach praised the defence after the win",
        "a brilliant free kick settled the derby",
        "the referee showed two red cards in the first half",
        "the tennis final went to five sets",
        "he broke the world record in the sprint",
        "fans queued for tickets to the cup final",
        "the cyclists climbed the mountain stage in the rain",
        "the league leaders lost at home for the first time",
        "a torn muscle will keep the captain out for a month",
        "the swimmer won gold in the relay",
        "the batsman hit six sixes in one over",
        "training was cancelled before the big match",
        "the midfielder signed a new contract with the club",
        "the team celebrated the title with their fans",
        "the boxer knocked out his rival in the third round",
        "a young player scored twice on his debut",
        "the season ends with a derby against our rivals",
        "the runner crossed the line first and won the race",
        "the club sacked the coach after five defeats",
        "the match ended in a goalless draw",
    ],
    "cooking": [
        "chop the onions and fry them gently in butter",
        "add the flour and stir until the sauce thickens",
        "bake the bread for forty minutes in a hot oven",
        "season the soup with salt pepper and fresh herbs",
        "whisk the eggs with sugar until pale",
        "simmer the tomatoes with garlic for an hour",
        "roast the chicken with lemon and thyme",
        "knead the dough and leave it to rise",
        "the recipe needs a cup of rice and two carrots",
        "grate the cheese over the pasta before serving",
        "melt the chocolate slowly over warm water",
        "marinate the beef overnight in soy sauce",
        "peel the potatoes and boil them in salted water",
        "a pinch of cinnamon makes the cake taste warm",
        "slice the apples thinly for the tart",
        "stir fry the vegetables in a very hot pan",
        "let the stew cook slowly with red wine",
        "serve the fish with a squeeze of lime",
        "fold the cream into the mixture gently",
        "the soup tastes better the next day",
        "toast the spices before adding the onions",
        "bake the cake until a knife comes out clean",
        "the sauce needs more butter and a little salt",
        "boil the pasta and drain it before adding the sauce",
    ],
    "weather": [
        "heavy rain is expected across the north tonight",
        "a warm sunny afternoon with light winds",
        "snow will fall on the hills by morning",
        "the storm brought strong winds and flooding",
        "temperatures will drop below freezing overnight",
        "fog will clear slowly to leave a bright day",
        "thunder and lightning are likely this evening",
        "a heatwave is forecast for the end of the week",
        "showers will spread from the west after lunch",
        "the wind will ease and skies will clear",
        "expect frost in rural areas before dawn",
        "a cold front will bring cooler air and rain",
        "humidity will stay high with the chance of a storm",
        "clouds will thicken with drizzle later",
        "the forecast promises sunshine for the weekend",
        "gales may cause damage along the coast",
        "a dry and mild day with some cloud",
        "hail fell briefly during the afternoon storm",
        "the rain should stop by the evening",
        "icy roads are expected after the snow",
        "the temperature will reach thirty degrees",
        "a grey and damp morning with light rain",
        "strong winds and heavy showers on the coast tonight",
        "clear skies will bring a cold night",
    ],
    "computers": [
        "restart the laptop to install the update",
        "the program crashed with a memory error",
        "save your files before you close the editor",
        "the new processor has eight cores",
        "install the driver for the graphics card",
        "the server is down for maintenance tonight",
        "back up the database every night",
        "the keyboard stopped working after the update",
        "compile the code and run the tests",
        "the website loads slowly on my phone",
        "encrypt the disk to protect your data",
        "the network cable was not plugged in",
        "a virus slowed down the whole system",
        "upgrade the memory to speed up the computer",
        "the screen flickers when the battery is low",
        "open the terminal and type the command",
        "the printer is out of paper again",
        "the software licence expires next month",
        "the app asks for a password at start up",
        "debug the function that returns the wrong value",
        "the file is too large to send by email",
        "reboot the router if the internet is slow",
        "the laptop battery lasts about six hours",
        "the code runs faster on the graphics card",
    ],
}

NEW_TEXTS = [
    "the team scored three goals in the second half",
    "fry the garlic in butter then add the rice",
    "strong winds and snow are expected tomorrow",
    "the laptop crashed while installing the driver",
    "the match was cancelled because of the storm",
]


# Words so common in every topic that they say nothing about any (a "stop list")
STOP_WORDS = set("""a an and are as at be before by for from has his in is it its of on or our out so that the
their them then this to too up was will with your my one two""".split())


def tokenize(text):
    """Lower-case words of letters only, without stop words: 'Fry the onions!' -> ['fry', 'onions']."""
    return [word for word in re.findall(r"[a-z]+", text.lower()) if word not in STOP_WORDS]


def build_vocabulary(texts):
    """Every word of the texts, sorted: the columns of the count matrix."""
    return sorted({word for text in texts for word in tokenize(text)})


def count_words(texts, vocabulary):
    """The bag of words: X[i, j] is how often word j occurs in text i. Unknown words are dropped."""
    column = {word: j for j, word in enumerate(vocabulary)}
    X = np.zeros((len(texts), len(vocabulary)))
    for i, text in enumerate(texts):
        for word, count in Counter(tokenize(text)).items():
            if word in column:
                X[i, column[word]] = count
    return X


def split(corpus):
    """Every fourth text of each topic is held out for testing."""
    train, test = [], []
    for topic, texts in corpus.items():
        for i, text in enumerate(texts):
            (test if i % 4 == 3 else train).append((text, topic))
    return [t for t, _ in train], np.array([c for _, c in train]), [t for t, _ in test], np.array([c for _, c in test])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="numpy",
                        help="numpy, torch, jax, cupy, array_api_strict, 'torch:cuda', ...")
    parser.add_argument("--out", default="text_classification.png", help="where to save the figure")
    args = parser.parse_args()
    backend = xpml.set_backend(args.backend)
    print(f"backend: {backend}\n")

    # 1. Bag of words
    train_texts, y_train, test_texts, y_test = split(CORPUS)
    vocabulary = build_vocabulary(train_texts)
    X_train, X_test = count_words(train_texts, vocabulary), count_words(test_texts, vocabulary)
    print(f"1. {len(train_texts)} training texts, {len(test_texts)} test texts, {len(vocabulary)} words in the "
          f"vocabulary;\n   a text is a row of counts, {np.mean(X_train > 0):.1%} of them non-zero.\n")

    # 2. Fit and score
    model = MultinomialNB(alpha=1.0).fit(X_train, y_train)
    print(f"2. MultinomialNB: test accuracy {model.score(X_test, y_test):.3f} "
          f"(training {model.score(X_train, y_train):.3f})")
    wrong = np.nonzero(model.predict(X_test) != y_test)[0]
    for i in wrong:
        print(f"   missed: {test_texts[i]!r} is {y_test[i]}, predicted {model.predict(X_test[i:i + 1])[0]}")
    print()

    # 3. The words that set each topic apart: log θ_c,word above its mean over the topics
    log_theta = to_numpy(model.feature_log_prob_)  # (n_topics, n_words)
    distinct = log_theta - log_theta.mean(axis=0)
    print("3. The words that set each topic apart:")
    for c, topic in enumerate(model.classes_):
        top = np.argsort(-distinct[c], kind="stable")[:8]
        print(f"   {topic:<10} " + ", ".join(vocabulary[j] for j in top))
    print()

    # 4. New sentences, and one taken apart
    X_new = count_words(NEW_TEXTS, vocabulary)
    proba = model.predict_proba(X_new)  # (n_new, n_topics), numpy because X_new is
    print("4. New sentences:      " + "  ".join(f"{topic:>9}" for topic in model.classes_))
    for text, row in zip(NEW_TEXTS, proba):
        print(f"   {text[:40]:<40} " + "  ".join(f"{p:9.3f}" for p in row) + f"  -> {model.classes_[np.argmax(row)]}")
    text, x = NEW_TEXTS[-1], X_new[-1]
    print(f"\n   Why {text!r}? Its score for each topic is log P(topic) + Σ count · log θ_topic,word:")
    log_prior = to_numpy(model.class_log_prior_)
    print(f"   {'':<12}" + "".join(f"{topic:>10}" for topic in model.classes_))
    for j in np.nonzero(x)[0]:
        print(f"   {vocabulary[j]:<12}" + "".join(f"{x[j] * log_theta[c, j]:10.2f}" for c in range(len(log_prior))))
    print(f"   {'log P(c)':<12}" + "".join(f"{v:10.2f}" for v in log_prior))
    scores = log_prior + x @ log_theta.T
    print(f"   {'total':<12}" + "".join(f"{v:10.2f}" for v in scores) +
          f"   (unknown words, {sorted(set(tokenize(text)) - set(vocabulary))}, are dropped)\n")

    # 5. The same model from a stream: counts simply add up
    stream = MultinomialNB(alpha=1.0)
    order = np.random.default_rng(0).permutation(len(y_train))
    for batch in np.array_split(order, 6):
        stream.partial_fit(X_train[batch], y_train[batch], classes=np.unique(y_train))
    same = np.allclose(to_numpy(stream.feature_log_prob_), log_theta, rtol=1e-12)
    print(f"5. partial_fit on 6 batches gives the same word probabilities as fit: {same}")

    # 6. A picture: the test confusion matrix, and each topic's most telling words
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 4.2), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.3])
    xpml.plot.confusion_matrix(y_test, model.predict(X_test), ax=left, title="Test texts: true against predicted")
    for c, topic in enumerate(model.classes_):
        top = np.argsort(-distinct[c], kind="stable")[:4]
        right.barh([f"{topic}: {vocabulary[j]}" for j in top], distinct[c, top])
    right.invert_yaxis()
    right.set(xlabel="log θ(topic, word) above its mean over the topics", title="The words that set each topic apart")
    fig.savefig(args.out, dpi=100)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
