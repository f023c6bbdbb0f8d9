"""xpml's English stop words: the function words of English (articles, pronouns, prepositions,
conjunctions, auxiliary and modal verbs, and the commonest adverbs and quantifiers), which occur in
every kind of text and so say little about what a text is about.

The list is xpml's own, written for `stop_words="english"`. Like every stop list it is a compromise:
words such as "not" or "against" carry meaning in some tasks (sentiment, stance), so pass your own
list where that matters. Every word is lower-case letters only, so that the default tokenizer
(`token_pattern=r"(?u)\\b\\w\\w+\\b"`) reads each as one token.
"""

__all__ = ["ENGLISH_STOP_WORDS"]

_ARTICLES_AND_DETERMINERS = """
a an the this that these those each every either neither any some no none all both few many much
more most less least several such own other another same enough
"""
_PRONOUNS = """
i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself
she her hers herself it its itself they them their theirs themselves one ones who whom whose which
what whatever whoever whichever whom whomever something anything nothing everything someone anyone
everyone somebody anybody nobody everybody
"""
_PREPOSITIONS = """
about above across after against along amid among amongst around as at before behind below beneath
beside besides between beyond by down during except for from in inside into near of off on onto out
outside over past per since through throughout till to toward towards under underneath until unto up
upon via with within without
"""
_CONJUNCTIONS = """
and but or nor so yet if then than because although though unless while whereas whether since once
when whenever where wherever whereby wherein why how however therefore thus hence
"""
_VERBS = """
be am is are was were been being have has had having do does did doing done can could may might
must shall should will would ought get gets got
"""
_ADVERBS_AND_QUANTIFIERS = """
not only also very too quite rather just still already even ever never always often sometimes
again here there now soon almost else elsewhere perhaps maybe indeed instead anyway somehow
somewhere anywhere everywhere nowhere together otherwise meanwhile moreover furthermore nevertheless
namely twice
"""

ENGLISH_STOP_WORDS = frozenset(word for group in (_ARTICLES_AND_DETERMINERS, _PRONOUNS, _PREPOSITIONS, _CONJUNCTIONS,
                                                  _VERBS, _ADVERBS_AND_QUANTIFIERS) for word in group.split())
