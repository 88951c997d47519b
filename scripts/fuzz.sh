#!/usr/bin/env bash
# Runs the fuzz targets (fuzz/fuzz_targets/*.rs) with cargo fuzz and libFuzzer, each for
# FUZZ_SECONDS (default 30), from the committed seeds (fuzz/seeds/<target>) plus a working
# corpus kept in target/fuzz-corpus/<target>. Prints one line per target with its executions
# and executions per second, and exits 1 on the first finding (the input is saved under
# fuzz/artifacts/<target>/; replay it with `cargo fuzz run <target> <file>`).
#
#   scripts/fuzz.sh                      # every target, 30 s each (what CI runs)
#   FUZZ_SECONDS=1800 scripts/fuzz.sh    # the long run: 30 minutes per target
#   scripts/fuzz.sh command payload      # some targets
#
# cargo fuzz comes from crates.io (installed when missing). It runs on the machine's stable
# toolchain: RUSTC_BOOTSTRAP lets it pass the instrumentation flags (-Z) that cargo fuzz needs;
# AddressSanitizer is on.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(command payload patch config paths sql)
fi

if ! command -v cargo-fuzz >/dev/null; then
  echo "installing cargo-fuzz from crates.io" >&2
  cargo install --locked cargo-fuzz >&2
fi
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O >&2

status=0
for t in "${targets[@]}"; do
  corpus=target/fuzz-corpus/$t
  mkdir -p "$corpus"
  log=target/fuzz-$t.log
  set +e
  cargo fuzz run -O "$t" "$corpus" "fuzz/seeds/$t" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  rate=$(grep -Eo 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  if [ "$rc" -eq 0 ]; then
    echo "fuzz $t: ${seconds}s, $runs executions, $rate/s, no failure"
  else
    echo "fuzz $t: FAILED after $runs executions (exit $rc); log: $log"
    grep -E "panicked at|ERROR:|Test unit written" "$log" | head -5
    status=1
  fi
done
exit "$status"
