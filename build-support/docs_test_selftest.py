#!/usr/bin/python3
"""Checks of the docs test's own rules (build-support/docs_test.py), run before it: a block that is
not marked, a command without a directive, a directive for a missing command, a run without
`expect`, a skip without a reason, an indented command: each is refused with a message naming the
line; a well-marked block parses into its commands with continuations and comments handled.
Usage: build-support/docs_test_selftest.py   (exit 0 when every check passed)"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import docs_test  # noqa: E402

FENCE = "`" * 3


def parse(markdown):
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "X.md"), "w", encoding="utf-8") as f:
            f.write(markdown)
        old = docs_test.ROOT
        docs_test.ROOT = d
        try:
            return [c for _, cmds in docs_test.blocks("X.md") for c in cmds]
        finally:
            docs_test.ROOT = old


def refused(markdown, words):
    try:
        parse(markdown)
    except docs_test.DocsError as e:
        if all(w in str(e) for w in words):
            return None
        return "refused, but the message lacks %s: %s" % (words, e)
    return "accepted"


def block(marker, body, lang="bash"):
    m = "<!-- docs-test\n%s\n-->\n" % marker if marker is not None else ""
    return "text\n\n%s%s%s\n%s\n%s\n" % (m, FENCE, lang, body, FENCE)


CASES = [
    ("a shell block without a marker is refused",
     block(None, "./offramp demo"), ["X.md:3", "no <!-- docs-test"]),
    ("a command without a directive is refused",
     block('1: expect "a"', "./offramp demo\n./offramp test"), ["X.md:8", "command 2", "./offramp test"]),
    ("a directive for a command that is not there is refused",
     block('1: expect "a"\n2: skip "b"', "./offramp demo"), ["commands [2]"]),
    ("a command that runs without expect is refused",
     block("1: exit 0", "./offramp demo"), ["needs expect"]),
    ("a skip without a reason is refused",
     block('1: skip ""', "./offramp demo"), ["skip needs a reason"]),
    ("an unknown directive is refused",
     block('1: expekt "a"', "./offramp demo"), ["expekt"]),
    ("an unfenced, indented command is refused",
     "text\n\n    ./offramp demo\n", ["X.md:3", "indented"]),
    ("a block with no shell language is not a command block, but an unlabelled one is",
     block(None, "./offramp demo", lang=""), ["no <!-- docs-test"]),
]


def main():
    failures = []
    for name, markdown, words in CASES:
        problem = refused(markdown, words)
        print("  %s  %s%s" % ("ok  " if problem is None else "FAIL", name,
                              "" if problem is None else ": " + problem))
        if problem:
            failures.append(name)
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "X.md"), "w", encoding="utf-8") as f:
            f.write(block(None, "./offramp demo") + block('1: expect "a"', "./a") +
                    block(None, "./offramp test"))
        old, docs_test.ROOT = docs_test.ROOT, d
        errors = []
        good_blocks = list(docs_test.blocks("X.md", errors))
        docs_test.ROOT = old
    every = len(errors) == 2 and len(good_blocks) == 1
    print("  %s  every bad block of a file is reported in one run, the good ones still parse%s"
          % ("ok  " if every else "FAIL", "" if every else ": %s" % errors))
    if not every:
        failures.append("every")
    cmds = parse(block(
        'link m.onnx x.onnx\n# a comment\n1: args "--limit 5"; expect "a; b"\n2: skip "a board"',
        "# comment\n./offramp bench --bundle b \\\n  --json o.json  # trailing\n\n"
        "echo '# not a comment'", lang="sh")
        + block(None, '{"json": 1}', lang="json"))
    texts = [c.text for c in cmds]
    want = ["./offramp bench --bundle b --json o.json", "echo '# not a comment'"]
    good = (texts == want and cmds[0].directives["args"] == "--limit 5"
            and cmds[0].directives["expect"] == "a; b" and cmds[1].directives["skip"] == "a board")
    print("  %s  a marked block parses into its commands (continuations, comments, quotes); json"
          " blocks are not commands%s" % ("ok  " if good else "FAIL", "" if good else ": %s" % texts))
    if not good:
        failures.append("parse")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
