#!/usr/bin/env bash
# Install Odoo 19.0 into this machine's python3 from a source checkout or a git URL you name
# (Odoo 19 is not on PyPI). Nothing of Odoo is copied into this repository.
#
#   bash scripts/install-odoo.sh /path/to/odoo-19.0-checkout
#   bash scripts/install-odoo.sh https://github.com/odoo/odoo.git [branch, default 19.0]
#
# Steps: build dependencies from Debian (as root, when apt-get exists), Odoo's requirements.txt (with
# cbor2 5.6.2: 5.4.2 no longer builds with current setuptools), then the package itself, with the
# standard addons moved from addons/ into odoo/addons/ of a temporary copy (what Odoo's own packaging
# does; otherwise the installed package lacks their data files). Finally checks `import odoo`.
set -euo pipefail
SRC=${1:?usage: $0 <odoo source directory | git URL> [branch]}
BRANCH=${2:-19.0}
PYTHON=${PYTHON:-python3}

if version=$(cd /tmp && "$PYTHON" -c 'import odoo.release as r; print(r.version)' 2>/dev/null); then
    case "$version" in 19.0*) echo "Odoo $version is already installed in $PYTHON"; exit 0 ;; esac
    echo "Odoo $version is installed in $PYTHON; installing 19.0 over it"
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    apt-get install -y -qq libpq-dev libldap2-dev libsasl2-dev >/dev/null
fi

BUILD=$(mktemp -d)
trap 'rm -rf "$BUILD"' EXIT
if [ -f "$SRC/HEAD" ] && [ -d "$SRC/objects" ]; then
    git --git-dir="$SRC" archive "$BRANCH" | tar -x -C "$BUILD"     # a bare repository (mirror)
elif [ -d "$SRC/.git" ] && git -C "$SRC" rev-parse --verify -q "$BRANCH" >/dev/null; then
    git -C "$SRC" archive "$BRANCH" | tar -x -C "$BUILD"          # the branch of a checkout, not its work tree
elif [ -d "$SRC" ]; then
    cp -a "$SRC"/. "$BUILD"/                                       # an unpacked source tree
    rm -rf "$BUILD/.git"
else
    git clone -q --depth 1 --branch "$BRANCH" "$SRC" "$BUILD"      # a git URL
    rm -rf "$BUILD/.git"
fi
[ -f "$BUILD/odoo/release.py" ] && [ -f "$BUILD/requirements.txt" ] || { echo "$SRC is not an Odoo source tree" >&2; exit 1; }
grep -q "^version_info = (19, 0" "$BUILD/odoo/release.py" || echo "warning: $SRC does not look like Odoo 19.0" >&2

if [ -d "$BUILD/addons" ]; then
    mv "$BUILD"/addons/* "$BUILD/odoo/addons/"
    rmdir "$BUILD/addons"
fi
sed -i 's/^cbor2==5\.4\.2.*/cbor2==5.6.2/' "$BUILD/requirements.txt"
"$PYTHON" -m pip install -q --disable-pip-version-check -r "$BUILD/requirements.txt"
"$PYTHON" -m pip install -q --disable-pip-version-check "$BUILD"
(cd /tmp && "$PYTHON" -c 'import odoo.release as r; print("Installed Odoo", r.version)')
