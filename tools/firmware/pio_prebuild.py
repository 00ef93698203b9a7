"""PlatformIO pre-build step (extra_scripts = pre:tools/firmware/pio_prebuild.py).

Builds the node module and adds the embedded module (pio_embed.py) to the image: the C array
for wasm3 or wasm2c's translation for aot, compiled from the build folder, never written into
the source tree. Runs inside PlatformIO's SCons environment (Import("env")).
"""

import os
import sys

Import("env")  # noqa: F821 (provided by PlatformIO)

project_dir = env.subst("$PROJECT_DIR")  # noqa: F821
sys.path.insert(0, os.path.join(project_dir, "tools", "firmware"))

from pio_embed import EmbedError, build_module, embed, engine_of  # noqa: E402

try:
    # Before the platform's own script runs, build_flags are still raw text (BUILD_FLAGS).
    flags = env.ParseFlags(env.get("BUILD_FLAGS", []))  # noqa: F821
    engine = engine_of(list(flags.get("CPPDEFINES", [])) + list(env.get("CPPDEFINES", [])))  # noqa: F821
    generated = os.path.join(env.subst("$BUILD_DIR"), "myco_module")  # noqa: F821
    embed(engine, build_module(project_dir), generated)
except EmbedError as e:
    sys.stderr.write("myco pre-build (%s): %s\n" % (env.subst("$PIOENV"), e))  # noqa: F821
    env.Exit(1)  # noqa: F821

env.Append(CPPPATH=[generated])  # noqa: F821
env.BuildSources(os.path.join("$BUILD_DIR", "myco_module_obj"), generated)  # noqa: F821
