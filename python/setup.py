"""Builds the Swift library (`swift build --product CArcade -Xswiftc -static-stdlib`, the Swift package is this
folder's parent) and bundles it into a platform wheel, so installing the wheel needs no Swift toolchain.

`SWIFT` names the swift executable (default: `swift` on PATH, else `$SWIFT_ROOT/usr/bin/swift`). The SwiftPM scratch
folder is `build/swift-build`, reused by later installs (incremental).
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PACKAGE_ROOT = HERE.parent
LIBRARY = "libCArcade.dylib" if sys.platform == "darwin" else "libCArcade.so"


def find_swift() -> str:
    for candidate in (os.environ.get("SWIFT"), shutil.which("swift"),
                      os.environ.get("SWIFT_ROOT") and str(Path(os.environ["SWIFT_ROOT"]) / "usr/bin/swift")):
        if candidate and Path(candidate).exists():
            return candidate
    sys.exit("schemaarcade: building needs a Swift toolchain (>= 6.1): put `swift` on PATH or set SWIFT")


class BuildSwift(build_py):
    """build_py, then the Swift library into the package."""

    def run(self) -> None:
        super().run()
        if not (PACKAGE_ROOT / "Package.swift").exists():
            sys.exit(f"schemaarcade: no Swift package at {PACKAGE_ROOT}; install from the SchemaArcade repository")
        scratch = HERE / "build" / "swift-build"
        subprocess.check_call([find_swift(), "build", "-c", "release", "--product", "CArcade", "--package-path",
                               str(PACKAGE_ROOT), "--scratch-path", str(scratch), "-Xswiftc", "-static-stdlib"])
        target = Path(self.build_lib) / "schemaarcade" / LIBRARY
        shutil.copy2(scratch / "release" / LIBRARY, target)
        if sys.platform != "darwin" and shutil.which("strip"):
            subprocess.call(["strip", "--strip-unneeded", str(target)])


class BinaryDistribution(Distribution):
    def has_ext_modules(self) -> bool:  # a platform wheel: it carries a native library
        return True


class PlatformWheel(bdist_wheel):
    def get_tag(self):  # any CPython 3: the library does not link libpython
        return ("py3", "none", super().get_tag()[2])


setup(cmdclass={"build_py": BuildSwift, "bdist_wheel": PlatformWheel}, distclass=BinaryDistribution)
