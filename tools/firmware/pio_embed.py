"""Builds the node module and embeds it in a board image (docs/boards.md, "PlatformIO").

PlatformIO runs pio_prebuild.py before each build; that script only asks this module for the
files. Kept apart so it runs (and is tested) with a plain python3, outside PlatformIO:

    python3 tools/firmware/pio_embed.py --engine wasm3 --wasm build/node.wasm --out DIR
    python3 tools/firmware/pio_embed.py --engine aot --wasm build/node.wasm --out DIR

wasm3 loads the module at run time: it gets the bytes as a C array (myco_module_image.c,
the names hal/boards/common/myco_module_image.h declares). aot compiles it into the image:
it gets wasm2c's translation (myco_module.c/.h, module name myco_node), as
`npm run firmware:native` makes it.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

ENGINES = ("wasm3", "aot")


class EmbedError(Exception):
    """A build step that cannot go on; the message says what is missing and how to get it."""


def c_array(data: bytes, source: str) -> str:
    """The module as C source: myco_module_image (16 bytes a row) and myco_module_image_len."""
    rows = []
    for i in range(0, len(data), 16):
        rows.append("    " + " ".join("0x%02x," % b for b in data[i:i + 16]))
    return (
        "/* %s, embedded by tools/firmware/pio_embed.py: do not edit. */\n"
        "#include <stdint.h>\n\n"
        "const uint32_t myco_module_image_len = %du;\n"
        "const uint8_t myco_module_image[%d] = {\n%s\n};\n"
        % (os.path.basename(source), len(data), max(len(data), 1), "\n".join(rows))
    )


def check_module(data: bytes, source: str) -> None:
    if len(data) < 8 or data[:4] != b"\0asm":
        raise EmbedError("%s is not a WebAssembly module (no \\0asm header); run `npm run build`" % source)


def build_module(project_dir: str, run=subprocess.run) -> str:
    """Runs `npm run build` in the project; returns build/node.wasm."""
    npm = shutil.which("npm")
    if npm is None:
        raise EmbedError("npm not found: the node module is built with Node.js (https://nodejs.org), then `npm ci` once")
    result = run([npm, "run", "build", "--silent"], cwd=project_dir)
    if result.returncode != 0:
        raise EmbedError("`npm run build` failed (exit %d); run it in %s to see why" % (result.returncode, project_dir))
    return os.path.join(project_dir, "build", "node.wasm")


def embed(engine: str, wasm: str, out_dir: str, run=subprocess.run) -> list:
    """Writes the files `engine` needs into out_dir; returns their paths."""
    if engine not in ENGINES:
        raise EmbedError("unknown engine %r (known: %s)" % (engine, ", ".join(ENGINES)))
    try:
        with open(wasm, "rb") as f:
            data = f.read()
    except OSError as e:
        raise EmbedError("%s: cannot read the module (%s); run `npm run build`" % (wasm, e.strerror))
    check_module(data, wasm)
    os.makedirs(out_dir, exist_ok=True)
    if engine == "wasm3":
        path = os.path.join(out_dir, "myco_module_image.c")
        with open(path, "w") as f:
            f.write(c_array(data, wasm))
        return [path]
    wasm2c = shutil.which("wasm2c")
    if wasm2c is None:
        raise EmbedError("wasm2c not found: install wabt (Debian/Ubuntu: apt install wabt; macOS: brew install wabt)")
    out = os.path.join(out_dir, "myco_module.c")
    result = run([wasm2c, wasm, "-n", "myco_node", "-o", out])
    if result.returncode != 0:
        raise EmbedError("wasm2c failed on %s (exit %d)" % (wasm, result.returncode))
    with open(out) as f:
        text, reason = rewrite_memory_access(f.read())
    if reason is None:
        with open(out, "w") as f:
            f.write(text)
    else:
        print("pio_embed.py: %s: keeping wasm2c's memory checks: %s" % (out, reason), file=sys.stderr)
    return [out, os.path.join(out_dir, "myco_module.h")]


MEMORY_HEADER = "myco_wasm_memory.h"
FIRST_ACCESS = re.compile(r"^DEFINE_LOAD\(i32_load, u32, u32, u32\)$", re.M)
ALLOCATE = re.compile(r"^\s*wasm_rt_allocate_memory\([^,]+, (\d+), (\d+)\);$", re.M)


def rewrite_memory_access(c: str):
    """wasm2c's output with the runtime's memory accesses (hal/shell/aot/myco_wasm_memory.h):
    (text, None), or (c unchanged, reason). The same rewrite as tools/firmware/aot.ts."""
    at = FIRST_ACCESS.search(c)
    if at is None:
        return c, "no DEFINE_LOAD(i32_load, ...) line (not wasm2c 1.0.32 output?)"
    memories = ALLOCATE.findall(c)
    if len(memories) != 1:
        return c, "the module allocates %d memories; the runtime backs exactly one" % len(memories)
    insert = "\n".join([
        "/* Linear-memory accesses of the project runtime (tools/firmware/aot.ts). */",
        "#undef DEFINE_LOAD",
        "#undef DEFINE_STORE",
        "#define MYCO_RT_INITIAL_PAGES %s" % memories[0][0],
        '#include "%s"' % MEMORY_HEADER,
        "",
    ])
    return c[:at.start()] + insert + c[at.start():], None


def engine_of(defines) -> str:
    """The engine a PlatformIO environment's CPPDEFINES select (MYCO_ENGINE_WASM3 / _AOT)."""
    names = set()
    for d in defines:
        names.add(d[0] if isinstance(d, (tuple, list)) else str(d).split("=")[0])
    chosen = [e for e in ENGINES if "MYCO_ENGINE_" + e.upper() in names]
    if len(chosen) != 1:
        raise EmbedError("build_flags must define exactly one of MYCO_ENGINE_WASM3, MYCO_ENGINE_AOT (found %s)" % (chosen or "none"))
    return chosen[0]


def main(argv) -> int:
    parser = argparse.ArgumentParser(prog="pio_embed.py", description="Embed the node module for a board image.")
    parser.add_argument("--engine", required=True, choices=ENGINES)
    parser.add_argument("--wasm", default="build/node.wasm")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    try:
        for path in embed(args.engine, args.wasm, args.out):
            print(path)
    except EmbedError as e:
        print("pio_embed.py: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
