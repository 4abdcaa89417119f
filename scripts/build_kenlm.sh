#!/usr/bin/env bash
# Build KenLM's lmplz (n-gram estimation) and build_binary (ARPA -> mmap binary) from the kenlm
# source distribution on PyPI, and install them into the virtual environment's bin/.
#
# Usage: bash scripts/build_kenlm.sh [VENV]      (VENV defaults to .venv)
#
# Idempotent: does nothing when both tools are already installed and start. The PyPI wheel of
# kenlm only ships the Python query module; the estimation tools have to be compiled, and they
# need Boost (program_options, system, thread) plus the compression libraries KenLM reads.
set -euo pipefail

VENV="${1:-.venv}"
KENLM_VERSION="0.3.0"
SRC_DIR="build/kenlm-src"
JOBS="${KENLM_JOBS:-2}"

tools_work() {
    # A real smoke run: estimate a bigram model from three lines and binarise it. Tiny corpora need
    # --discount_fallback (Kneser-Ney discounts cannot be estimated from so few counts-of-counts).
    [ -x "$VENV/bin/lmplz" ] && [ -x "$VENV/bin/build_binary" ] || return 1
    local tmp
    tmp="$(mktemp -d)"
    printf 'a b c\na b d\nb c d\n' \
        | "$VENV/bin/lmplz" -o 2 --discount_fallback -S 64M -T "$tmp" >"$tmp/t.arpa" 2>/dev/null \
        && "$VENV/bin/build_binary" "$tmp/t.arpa" "$tmp/t.binary" >/dev/null 2>&1
    local rc=$?
    rm -rf "$tmp"
    return $rc
}

if tools_work; then
    echo "kenlm: lmplz and build_binary already in $VENV/bin"
    exit 0
fi

install_build_deps() {
    local missing=0
    for header in /usr/include/boost/program_options.hpp /usr/include/boost/thread.hpp \
        /usr/include/zlib.h /usr/include/bzlib.h /usr/include/lzma.h; do
        [ -f "$header" ] || missing=1
    done
    command -v cmake >/dev/null && command -v g++ >/dev/null && command -v make >/dev/null || missing=1
    if [ "$missing" = 0 ]; then
        echo "kenlm: build dependencies present"
        return
    fi
    if ! command -v apt-get >/dev/null; then
        echo "kenlm: missing Boost/zlib/bzip2/lzma headers or cmake, and no apt-get to install them" >&2
        exit 1
    fi
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "kenlm: installing build dependencies with apt-get"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
        libboost-program-options-dev libboost-system-dev libboost-thread-dev libboost-test-dev \
        zlib1g-dev libbz2-dev liblzma-dev cmake build-essential
}

fetch_source() {
    # --no-binary kenlm (not :all:) so that pip still resolves its own build tooling from wheels.
    mkdir -p "$SRC_DIR"
    local archive
    archive="$(ls "$SRC_DIR"/kenlm-"$KENLM_VERSION".tar.gz 2>/dev/null || true)"
    if [ -z "$archive" ]; then
        "$VENV/bin/pip" download --no-binary kenlm --no-deps "kenlm==$KENLM_VERSION" -d "$SRC_DIR"
        archive="$(ls "$SRC_DIR"/kenlm-"$KENLM_VERSION".tar.gz)"
    fi
    rm -rf "$SRC_DIR/kenlm-$KENLM_VERSION"
    tar -xzf "$archive" -C "$SRC_DIR"
}

build_tools() {
    local src="$SRC_DIR/kenlm-$KENLM_VERSION"
    local out="$src/cmake-build"
    cmake -S "$src" -B "$out" -DCMAKE_BUILD_TYPE=Release -DCMAKE_POLICY_VERSION_MINIMUM=3.5 >/dev/null
    cmake --build "$out" --target lmplz build_binary -j "$JOBS"
    install -m 0755 "$out/bin/lmplz" "$VENV/bin/lmplz"
    install -m 0755 "$out/bin/build_binary" "$VENV/bin/build_binary"
}

if [ ! -x "$VENV/bin/pip" ]; then
    echo "kenlm: no virtual environment at $VENV (run the setup's venv step first)" >&2
    exit 1
fi
install_build_deps
fetch_source
build_tools

if ! tools_work; then
    echo "kenlm: built tools do not run" >&2
    exit 1
fi
"$VENV/bin/python" -c "import kenlm" || {
    echo "kenlm: the Python module is missing; pip install kenlm==$KENLM_VERSION" >&2
    exit 1
}
echo "kenlm: installed lmplz and build_binary into $VENV/bin"
