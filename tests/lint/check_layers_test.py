#!/usr/bin/env python3
"""scripts/check-layers itself: it passes a tree that keeps its layers and
fails one that does not, naming the file, the line and the include."""
import pathlib
import subprocess
import sys
import tempfile

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "check-layers"

ARCHITECTURE = """# layers
```layers
low:
high: low
notifiers/*: low
notifiers: low notifiers/*
```
"""


def tree(files):
    root = pathlib.Path(tempfile.mkdtemp(prefix="tocsin-layers-"))
    (root / "ARCHITECTURE.md").write_text(ARCHITECTURE)
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


def run(root):
    return subprocess.run([sys.executable, str(SCRIPT), str(root)], capture_output=True, text=True)


def main():
    good = tree({
        "src/low/a.h": "#pragma once\n",
        "src/high/b.cpp": '#include "low/a.h"\n#include <vector>\n',
        "notifiers/x/x.cpp": '#include "low/a.h"\n',
        "notifiers/registry.cpp": '#include "notifiers/x/x.h"\n',
        "notifiers/x/x.h": "#pragma once\n",
    })
    result = run(good)
    assert result.returncode == 0, result.stdout + result.stderr

    bad = tree({
        "src/low/a.cpp": '#include "high/b.h"\n',
        "src/high/b.h": "#pragma once\n",
        "src/high/go_thing.cpp": "\n",
        "src/other/c.cpp": "\n",
        "notifiers/x/x.cpp": '#include "notifiers/y/y.h"\n',
        "notifiers/y/y.h": "#pragma once\n",
    })
    result = run(bad)
    assert result.returncode == 1, result.stdout
    for expected in ['src/low/a.cpp:1: low may not include "high/b.h" (high)',
                     "src/high/go_thing.cpp: Go's behaviour belongs in src/gocompat/",
                     "other: no line in ARCHITECTURE.md's layers block",
                     'notifiers/x/x.cpp:1: notifiers/x may not include "notifiers/y/y.h" (notifiers/y)']:
        assert expected in result.stdout, f"missing {expected!r} in:\n{result.stdout}"
    print("check-layers: passes a layered tree, names every violation")


if __name__ == "__main__":
    main()
