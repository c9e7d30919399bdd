# Sourced by the bench scripts (peers.sh, growth.sh), from the repository's root: checks that
# GNU time is there and sets `planatlas` to the binary to time, PLANATLAS if given, else this
# checkout's release binary, built first.
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 1; }

if [ -n "${PLANATLAS:-}" ]; then
  planatlas=$(realpath "$PLANATLAS")
else
  cargo build --release --locked --quiet
  planatlas=$PWD/target/release/planatlas
fi
