#!/usr/bin/python3
"""Executable docs: run the commands shown in the READMEs' code blocks and check what they print.

Run by `./offramp test` after the Maven build and the deploy tests; alone:

    build-support/docs_test.py [--keep] [--only FILE[:LINE]] [FILE.md ...]

Every fenced code block whose language is a shell (bash, sh, shell, console, or none) in the
files below is split into commands (comment lines dropped, backslash continuations joined,
trailing `# ...` comments dropped). Each command must be covered by the HTML comment right above
the block, invisible on the rendered page:

    <!-- docs-test
    link model.onnx demo/fashion-resnet18/backbone.onnx    (block setup, optional)
    1: expect "valid cuts"
    2: args "--train-limit 2000 --epochs 1"; expect "wrote bundle"
    3: skip "needs a V4L2 camera"
    -->

Directives per command (`N:` numbers the block's commands from 1; separated by `;`):
  expect TEXT        the combined output must contain TEXT (required for every run command)
  exit N             expected exit status (default 0)
  args TEXT          appended to the command (CI size: a small --limit, fewer epochs)
  timeout S          seconds before the command counts as hung (default 600)
  until TEXT         the command keeps running: wait until its output contains TEXT, then
  paste REGEX TEXT   take the first match of REGEX from its output, run that text exactly as a
                     command, and wait until the pasted command prints TEXT (then stop it);
  stop               then send SIGTERM and check `exit` and `expect` on what it printed in all
  skip REASON        not run; REASON says why (a board, a GPU, hours) and is listed in the summary
Block setup: `link PATH TARGET` makes PATH (relative, in the scratch copy) a symlink to TARGET.
Marker lines starting with `#` are comments.

`[...]` groups in a command are optional arguments and are dropped. A block without a marker, a
command without a directive, a directive for a command that is not there, or a run command
without `expect` fails the test, so new blocks cannot slip through unchecked.

The commands run from a clean state: the tracked and untracked-but-not-ignored files of the
checkout are copied to target/docs-test/checkout (no build output), and every command runs there
in file order, so later commands see what earlier ones wrote (a bundle built, then verified).
"""
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = ["README.md", "demo/README.md", "benchmarks/README.md", "deploy/README.md"]
SHELL_LANGS = {"", "bash", "sh", "shell", "console", "zsh"}
DEFAULT_TIMEOUT = 600
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)")
# An indented (unfenced) block line that starts like a command: not allowed, it would go unchecked.
INDENTED_COMMAND = re.compile(r"^(    |\t)\s*(\./|sudo |deploy/|scripts/|/usr/bin/|mosquitto|curl )")


class DocsError(Exception):
    """A marker or block that the runner cannot accept; the message says where and what to do."""


class Command:
    def __init__(self, path, line, text):
        self.path, self.line, self.text = path, line, text
        self.directives = None

    def where(self):
        return "%s:%d" % (self.path, self.line)


def split_commands(path, first_line, lines):
    """Shell lines of a block -> commands (continuations joined, comments dropped)."""
    out, buf, start = [], [], None
    for i, raw in enumerate(lines):
        line = raw.rstrip()
        if not buf and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if start is None:
            start = first_line + i
        code = strip_comment(line)
        if code.endswith("\\"):
            buf.append(code[:-1].strip())
            continue
        buf.append(code.strip())
        out.append(Command(path, start, " ".join(p for p in buf if p)))
        buf, start = [], None
    if buf:
        raise DocsError("%s:%d: block ends inside a continued command" % (path, start))
    return out


def strip_comment(line):
    """Drops a trailing ` # comment` that is outside quotes."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line


def parse_marker(path, line, text):
    """Marker text -> (links, {number: directives})."""
    links, per = [], {}
    for n, raw in enumerate(text.splitlines()):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue  # blank, or a comment for the reader of the markdown source
        where = "%s:%d" % (path, line + n)
        m = re.match(r"^(\d+):\s*(.*)$", entry)
        if not m:
            words = shlex.split(entry)
            if len(words) == 3 and words[0] == "link":
                links.append((words[1], words[2]))
                continue
            raise DocsError(
                "%s: docs-test marker line '%s': expected 'N: directives' or 'link PATH TARGET'"
                % (where, entry))
        number = int(m.group(1))
        if number in per:
            raise DocsError("%s: command %d has two directive lines" % (where, number))
        per[number] = parse_directives(where, m.group(2))
    return links, per


def parse_directives(where, text):
    d = {"exit": 0, "timeout": DEFAULT_TIMEOUT, "args": "", "stop": False}
    for part in split_semicolons(text):
        words = shlex.split(part)
        if not words:
            continue
        key, rest = words[0], words[1:]
        arity = {"expect": 1, "exit": 1, "args": 1, "timeout": 1, "until": 1, "paste": 2,
                 "skip": 1, "stop": 0}
        if key not in arity or len(rest) != arity[key]:
            raise DocsError(
                "%s: directive '%s': expected one of expect TEXT, exit N, args TEXT, timeout S,"
                " until TEXT, paste REGEX TEXT, stop, skip REASON" % (where, part.strip()))
        if key in ("exit", "timeout"):
            d[key] = int(rest[0])
        elif key == "paste":
            d["paste"] = (re.compile(rest[0]), rest[1])
        elif key == "stop":
            d["stop"] = True
        else:
            d[key] = rest[0]
    if "skip" in d:
        if not d["skip"].strip():
            raise DocsError("%s: skip needs a reason (a board, a GPU, hours...)" % where)
    elif "expect" not in d:
        raise DocsError(
            "%s: a command that runs needs expect TEXT (one meaningful line of its output)" % where)
    if ("paste" in d or d["stop"]) and "until" not in d:
        raise DocsError("%s: paste and stop need until TEXT (the command keeps running)" % where)
    return d


def split_semicolons(text):
    parts, buf, quote = [], [], None
    for c in text:
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == ";":
            parts.append("".join(buf))
            buf = []
            continue
        buf.append(c)
    parts.append("".join(buf))
    return parts


def blocks(path, errors=None):
    """Yields (links, commands) per shell block of a markdown file. With an `errors` list, a block
    that breaks the rules is recorded there and skipped, so that one run reports every problem."""
    for item in _blocks(path):
        if isinstance(item, DocsError):
            if errors is None:
                raise item
            errors.append(item)
        else:
            yield item


def _blocks(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            if INDENTED_COMMAND.match(lines[i]) and i > 0 and not lines[i - 1].strip():
                yield DocsError(
                    "%s:%d: a command in an indented code block; fence it (```bash) and add a"
                    " docs-test marker so that it is run or its skip is justified" % (path, i + 1))
            i += 1
            continue
        indent, fence, lang = m.group(1), m.group(2), m.group(3).lower()
        start = i
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            j += 1
        if j == len(lines):
            raise DocsError("%s:%d: code block is never closed" % (path, start + 1))
        body = [l[len(indent):] if l.startswith(indent) else l.lstrip() for l in lines[i + 1:j]]
        i = j + 1
        if lang not in SHELL_LANGS:
            continue
        try:
            yield check_block(path, lines, start, body)
        except DocsError as e:
            yield e


def check_block(path, lines, start, body):
    """A shell block and its marker -> (links, commands with directives), or DocsError."""
    commands = split_commands(path, start + 2, body)
    if not commands:
        return [], []
    marker_text, marker_line = find_marker(lines, start)
    if marker_text is None:
        raise DocsError(
            "%s:%d: this shell block has no <!-- docs-test ... --> marker above it. Add one"
            " with a line per command: 'N: expect \"TEXT\"' to run it, or 'N: skip \"why\"'"
            " (see build-support/docs_test.py)." % (path, start + 1))
    links, per = parse_marker(path, marker_line, marker_text)
    missing = []
    for n, c in enumerate(commands, 1):
        if n not in per:
            missing.append(
                "%s: command %d of the block (%s) has no directive in the marker at line %d;"
                " expected '%d: expect \"TEXT\"' or '%d: skip \"why\"'"
                % (c.where(), n, c.text, marker_line, n, n))
        else:
            c.directives = per.pop(n)
    if missing:
        raise DocsError("\n  ".join(missing))
    if per:
        raise DocsError(
            "%s:%d: the marker has directives for commands %s, but the block has %d"
            % (path, marker_line, sorted(per), len(commands)))
    return links, commands


def find_marker(lines, fence_index):
    """The `<!-- docs-test ... -->` comment ending right above the fence (blank lines allowed)."""
    k = fence_index - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    if k < 0 or not lines[k].strip().endswith("-->"):
        return None, 0
    end = k
    while k >= 0 and "<!--" not in lines[k]:
        k -= 1
    if k < 0:
        return None, 0
    text = "\n".join(l.strip() for l in lines[k:end + 1])
    text = text.strip()[len("<!--"):-len("-->")].strip()
    if not text.startswith("docs-test"):
        return None, 0
    return text[len("docs-test"):], k + 1


# --------------------------------------------------------------------------------------------
# Running


class Output:
    """Collects a process's combined output on a thread; lets the caller wait for a text."""

    def __init__(self, proc, log_path):
        self.proc, self.text, self.lock = proc, "", threading.Lock()
        self.log = open(log_path, "w", encoding="utf-8")
        self.thread = threading.Thread(target=self._pump, daemon=True)
        self.thread.start()

    def _pump(self):
        for chunk in iter(lambda: self.proc.stdout.readline(), b""):
            s = chunk.decode("utf-8", "replace")
            with self.lock:
                self.text += s
            self.log.write(s)
            self.log.flush()

    def wait_for(self, text, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if text in self.text:
                    return True
            if self.proc.poll() is not None:
                self.thread.join(5)
                return text in self.text
            time.sleep(0.1)
        return False

    def finish(self, timeout):
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            stop(self.proc, signal.SIGKILL)
            return None
        self.thread.join(10)
        self.log.close()
        return self.proc.returncode


def start(command, cwd, env):
    return subprocess.Popen(["bash", "-c", command], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)


def stop(proc, sig=signal.SIGTERM):
    """Signals the command's process group (bash and what it started)."""
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def tail(text, n=25):
    return "\n".join("      | " + l for l in text.rstrip().splitlines()[-n:])


def run_command(c, workdir, logdir, env, number):
    d = c.directives
    command = re.sub(r"\s*\[[^\]]*\]", "", c.text)
    if d["args"]:
        command += " " + d["args"]
    log = os.path.join(logdir, "%02d.log" % number)
    t0 = time.monotonic()
    proc = start(command, workdir, env)
    out = Output(proc, log)
    problems = []
    if "until" in d:
        if not out.wait_for(d["until"], d["timeout"]):
            problems.append("never printed %r" % d["until"])
        elif "paste" in d:
            regex, want = d["paste"]
            with out.lock:
                m = regex.search(out.text)
            if not m:
                problems.append("printed no line matching %r to paste" % regex.pattern)
            else:
                pasted = m.group(0).strip()
                print("        paste: %s" % pasted)
                p2 = start(pasted, workdir, env)
                o2 = Output(p2, log.replace(".log", "-pasted.log"))
                got = o2.wait_for(want, 60)
                stop(p2)
                o2.finish(10)
                if not got:
                    problems.append("the pasted command (%s) did not print %r; it printed:\n%s"
                                    % (pasted, want, tail(o2.text)))
        if d["stop"] or not problems:
            stop(proc)
    code = out.finish(d["timeout"])
    elapsed = time.monotonic() - t0
    if code is None:
        problems.append("timed out after %d s" % d["timeout"])
    elif code != d["exit"]:
        problems.append("exit status %d, expected %d" % (code, d["exit"]))
    if d["expect"] not in out.text:
        problems.append("output does not contain %r" % d["expect"])
    line = next((l.strip() for l in out.text.splitlines() if d["expect"] in l), "")
    return command, elapsed, problems, line, out.text


def copy_checkout(dest):
    files = subprocess.run(["git", "-C", ROOT, "ls-files", "-co", "--exclude-standard", "-z"],
                           check=True, stdout=subprocess.PIPE).stdout.decode().split("\0")
    if os.path.exists(dest):
        shutil.rmtree(dest)
    for rel in filter(None, files):
        src = os.path.join(ROOT, rel)
        if not os.path.lexists(src) or os.path.isdir(src) and not os.path.islink(src):
            continue  # deleted in the working tree, or a submodule
        target = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(src, target, follow_symlinks=False)


def main(argv):
    keep = "--keep" in argv
    argv = [a for a in argv if a != "--keep"]
    only = None
    if "--only" in argv:
        i = argv.index("--only")
        only = argv[i + 1]
        del argv[i:i + 2]
    files = argv or FILES
    errors = []
    try:
        plan = [(links, cmds) for f in files for links, cmds in blocks(f, errors)]
    except DocsError as e:  # a block that is never closed: the rest of that file is unreadable
        errors.append(e)
    if errors:
        for e in errors:
            print("docs test: %s" % e, file=sys.stderr)
        print("docs test: %d problem(s) in the markers; nothing was run" % len(errors),
              file=sys.stderr)
        return 1
    base = os.path.join(ROOT, "target", "docs-test")
    workdir = os.path.join(base, "checkout")
    logdir = os.path.join(base, "logs")
    print("docs test: copying the checkout to %s (clean state, no build output)" % workdir)
    copy_checkout(workdir)
    shutil.rmtree(logdir, ignore_errors=True)
    os.makedirs(logdir)
    env = dict(os.environ)
    failed, ran, skipped, number = [], 0, [], 0
    t_all = time.monotonic()
    for links, commands in plan:
        for rel, target in links:
            path = os.path.join(workdir, rel)
            if not os.path.lexists(path):
                os.symlink(os.path.join(workdir, target), path)
        for c in commands:
            number += 1
            if only and not (c.where() == only or c.path == only):
                continue
            if "skip" in c.directives:
                skipped.append(c)
                print("  skip  %s  %s\n        (%s)" % (c.where(), c.text, c.directives["skip"]))
                continue
            print("  run   %s  %s" % (c.where(), c.text), flush=True)
            command, elapsed, problems, line, text = run_command(c, workdir, logdir, env, number)
            ran += 1
            if problems:
                failed.append(c)
                print("  FAIL  %s (%.1f s): %s\n      ran: %s\n      log: %s\n%s" % (
                    c.where(), elapsed, "; ".join(problems), command,
                    os.path.join(logdir, "%02d.log" % number), tail(text)), file=sys.stderr)
            else:
                print("  ok    %s (%.1f s): %s" % (c.where(), elapsed, line[:150]), flush=True)
    print("\ndocs test: %d commands run, %d skipped, %d failed in %.0f s" % (
        ran, len(skipped), len(failed), time.monotonic() - t_all))
    for c in failed:
        print("  FAILED %s  %s" % (c.where(), c.text), file=sys.stderr)
    if not keep and not failed:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
