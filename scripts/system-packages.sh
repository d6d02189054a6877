#!/bin/sh
# Install the Debian packages named as arguments that are not installed yet.
# As root with apt-get this installs them; otherwise it names what is missing and carries on.
missing=""
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Cài gói hệ thống:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "Thiếu gói hệ thống:$missing — hãy cài bằng: sudo apt-get install$missing" >&2
fi
