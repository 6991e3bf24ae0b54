"""Category rules: the fast classifier (words first) gives the category a
search of every rule's patterns gives."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import examples
from sitegen.categories import DEFAULT_RULES, UNCATEGORISED, _pattern, classifier, required_word
from sitegen.config import CategoryRule


def reference(rules, text: str):
    """The first rule one of whose patterns matches, as rules are documented."""
    for rule in rules:
        if rule.match and re.search("|".join(f"(?:{_pattern(p)})" for p in rule.match), text, re.I):
            return rule.name, rule.priority
    return UNCATEGORISED, None


WORDS = ["auth", "Tokens", "token", "n+1", "N+1", "doesn't work", "doesnt work", "API keys", "v2", "v", "db",
         "foreign key", "cache", "caching", "Cach", "retries", "fix", "ſecret", "secret", "K", "\u212aey", "İndex",
         "debug", "bugs", "add", "address", "new", "é", "élan", "x|y", "y", "_", "-", ".", " ", "\n", "cert",
         "certificates", "models", "modelsx", "schema!", "TLS", "tls1", "TLSv1.3", "SSLContext", "refresh",
         "access", "expire", "signature", "signing", "verify", "webhook", "signed", "url", "bearer"]
texts = st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join) | st.text(max_size=40)

ENTRIES = ["x|y", "[]|]ab", r"a\|b", "ab+c", "(?:key)", r"\bv\d\b", "clean up", "tokens?", "n\\+1", r"[ab]cd",
           "doesn'?t", "é+x", "K", "ke{2}y", "modelsx", "secret"]
rule_sets = st.lists(st.builds(lambda n, match, p: CategoryRule(f"r{n}", tuple(match), p),
                               st.integers(0, 9), st.lists(st.sampled_from(ENTRIES), max_size=4),
                               st.sampled_from([None, "P1", "P4"])), max_size=4)


@settings(max_examples=examples(3000))
@given(texts)
@example("the API keys leak")
@example("ſecret")
@example("\u212aey rotation")
def test_the_default_rules_classify_as_a_search_of_every_pattern_does(text):
    assert classifier(None).classify(text) == reference(DEFAULT_RULES, text)


@settings(max_examples=examples(2000))
@given(rule_sets, texts)
def test_rules_from_the_config_classify_as_a_search_of_every_pattern_does(rules, text):
    assert classifier(tuple(rules)).classify(text) == reference(rules, text)


def test_a_word_is_what_every_match_starts_with():
    assert [required_word(p) for p in [r"\bauth\w*", r"\btokens?\b", r"\bn\+1", r"\bdoesn'?t work", "foo|bar",
                                       r"\b(api|signing) keys?\b", r"\bv\d\b", "ab+c", "[]|]ab", "ke{2}y"]] == \
        ["auth", "token", "n+1", "doesn", None, None, None, "ab", None, None]


# Written for this test: TODOs that name a credential, and TODOs where "token" or
# "signature" is a parser's or a function's (most such words in the standard
# library's TODOs: "continuation tokens", "change the signature to ...").
SECURITY = [
    "check the refresh token expiry before reuse",
    "rotate the API token every 90 days",
    "tokens expire too late; shorten their lifetime",
    "verify the webhook signature before trusting the payload",
    "signature verification is skipped in dev mode",
    "read the signing key from the vault",
    "the bearer header is logged in plain text",
    "fix TLSv1.3 once the context can restrict ciphers",
    "SSLContext still allows SSLv3",
    "keep the session token in an httpOnly cookie",
    "the auth token is sent in the query string",
    "signed URLs never expire",
]
NOT_SECURITY = [
    "the lexer emits an extra token after a comment",
    "change the signature of parse() to take a path",
    "templates start and end tokens",
    "support continuation tokens for pagination",
    "this does not match the base class signature",
    "count tokens per line for the minifier",
    "wrap signatures in a way that reads well in the docs",
]


def test_the_default_security_rule_takes_credentials_not_parser_tokens_or_function_signatures():
    classify = classifier(None).classify
    assert [text for text in SECURITY if classify(text) != ("Security & auth", "P2")] == []
    assert [text for text in NOT_SECURITY if classify(text)[0] == "Security & auth"] == []
