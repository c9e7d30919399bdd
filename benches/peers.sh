#!/usr/bin/env bash
# Build time and peak memory of planatlas and Zola, side by side, on one generated corpus.
#
#   ZOLA=/path/to/zola benches/peers.sh [plans ...]     (default: 10 100 500, × 100 measures)
#
# For each size, `planatlas synth` writes a corpus of N plans × 100 measures of the seed plans'
# sentences. planatlas builds it as it builds any site (one page per section of up to four
# measures, with related measures, the search index and open data). The same measures are
# written as a Zola site: one page per measure with its themes as a taxonomy, a section per plan,
# minimal templates. Each build runs RUNS times (default 3) with output on a tmpfs (PEERS_DIR,
# default /dev/shm/planatlas-peers), the programs taking turns (one run of each per round, RUNS
# rounds, each round starting with the next program), so that the machine's drift and the cost
# of going first fall on all alike (evenly when RUNS is a multiple of the number of programs);
# each cell gives the median wall time, the median CPU time (user + system) and the largest
# peak resident memory (GNU time). Without ZOLA only
# planatlas is timed; PLANATLAS=/path/to/planatlas times that binary instead of building this
# checkout's release binary; BASELINE=/path/to/planatlas adds another build of planatlas (an
# earlier commit's) to compare with, on the same corpus.
#
# What is minified: by default each program does as it does by default (planatlas minifies its
# HTML, Zola does not). PEERS_MINIFY=on has Zola minify too (`minify_html = true`), and
# PEERS_MINIFY=off has planatlas not minify (`--no-minify`, applied to BASELINE as well), so that
# both do the same work.
#
# Zola from its repository (https://github.com/getzola/zola), for example 0.22:
#   git clone --depth 1 --branch v0.22.0 https://github.com/getzola/zola && cd zola
#   cargo build --release --locked      # the binary is target/release/zola
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-3}
minify=${PEERS_MINIFY:-default}
case $minify in
  default|on) planatlas_flags=() ; zola_minify=$([ "$minify" = on ] && echo true || echo false) ;;
  off) planatlas_flags=(--no-minify) ; zola_minify=false ;;
  *) echo "PEERS_MINIFY is default, on or off, not '$minify'" >&2; exit 2 ;;
esac
work=${PEERS_DIR:-/dev/shm/planatlas-peers}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 100 500)
# shellcheck source=benches/planatlas.sh
. benches/planatlas.sh
mkdir -p "$work"
# As a deployed site (canonical links, sitemap, feed), as Zola builds with its base_url.
base_url=https://atlas.test/

# One timed run of a command, appended to the file $1 as `label wall cpu rss_kib`.
run_once() {
  local out=$1 label=$2 line wall user sys rss
  shift 2
  line=$( /usr/bin/time -f '%e %U %S %M' "$@" 2>&1 >/dev/null | tail -1 )
  read -r wall user sys rss <<<"$line"
  echo "$label $wall $(python3 -c "print($user + $sys)") $rss" >>"$out"
}

# The measures of a built planatlas site (data/measures.json) as a Zola site.
zola_site() {
  python3 - "$1" "$2" "$zola_minify" <<'EOF'
import json, os, shutil, sys
measures, out = json.load(open(sys.argv[1], encoding="utf-8")), sys.argv[2]
minify_html = sys.argv[3]
shutil.rmtree(out, ignore_errors=True)
os.makedirs(f"{out}/templates")
os.makedirs(f"{out}/content")
def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
write(f"{out}/config.toml", 'base_url = "https://atlas.test"\ntitle = "peers"\n'
      f'default_language = "zh"\nminify_html = {minify_html}\ntaxonomies = [{{ name = "themes" }}]\n')
page = ('<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ %s }}</title></head>'
        '<body><main>%s</main></body></html>')
write(f"{out}/templates/index.html", page % ("config.title",
      '{% for s in section.subsections %}{% set p = get_section(path=s) %}'
      '<a href="{{ p.permalink }}">{{ p.title }}</a>{% endfor %}'))
write(f"{out}/templates/section.html", page % ("section.title",
      '<h1>{{ section.title }}</h1><ol>{% for p in section.pages %}'
      '<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ol>'))
write(f"{out}/templates/page.html", page % ("page.title",
      '<h1>{{ page.title }}</h1>{{ page.content | safe }}'
      '{% for t in page.taxonomies.themes | default(value=[]) %}'
      '<a href="{{ get_taxonomy_url(kind="themes", name=t) }}">{{ t }}</a>{% endfor %}'))
write(f"{out}/templates/taxonomy_list.html", page % ("taxonomy.name",
      '{% for t in terms %}<a href="{{ t.permalink }}">{{ t.name }}</a>{% endfor %}'))
write(f"{out}/templates/taxonomy_single.html", page % ("term.name",
      '<ol>{% for p in term.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ol>'))
write(f"{out}/content/_index.md", '+++\ntitle = "peers"\n+++\n')
plans = set()
for m in measures:
    plan = m["plan"]
    if plan not in plans:
        plans.add(plan)
        write(f"{out}/content/{plan}/_index.md", f'+++\ntitle = {json.dumps(plan)}\n+++\n')
    write(f"{out}/content/{plan}/{m['id']}.md",
          f'+++\ntitle = {json.dumps(m["title"], ensure_ascii=False)}\n'
          f'[taxonomies]\nthemes = {json.dumps(m["themes"], ensure_ascii=False)}\n+++\n\n'
          + m["text"].replace("\n", "\n\n") + "\n")
print(len(measures))
EOF
}

echo "Minified: ${minify} (planatlas ${planatlas_flags[*]:-minifies}; Zola minify_html = ${zola_minify})"
echo
echo "| measures | planatlas | baseline | zola | planatlas / zola |"
echo "|---|---|---|---|---|"
for plans in "${sizes[@]}"; do
  corpus=$work/corpus-$plans
  rm -rf "$corpus" "$work/planatlas-out" "$work/baseline-out" "$work/zola-out"
  "$planatlas" --root . synth --plans "$plans" --measures 100 --out "$corpus" >/dev/null
  "$planatlas" --root "$corpus" build --output "$work/planatlas-out" --base-url "$base_url" >/dev/null
  count=$(zola_site "$work/planatlas-out/data/measures.json" "$work/zola-$plans")
  runs_file=$work/runs-$plans
  : >"$runs_file"
  programs=(planatlas)
  if [ -n "${BASELINE:-}" ]; then programs+=(baseline); fi
  if [ -n "${ZOLA:-}" ]; then programs+=(zola); fi
  for round in $(seq "$runs"); do
    # Each round starts with the next program: on this machine the first build of a round was
    # measured 5-10 % slower than the same build run second.
    for k in $(seq 0 $((${#programs[@]} - 1))); do
      case ${programs[$(( (round - 1 + k) % ${#programs[@]} ))]} in
        planatlas) run_once "$runs_file" planatlas "$planatlas" --root "$corpus" build --output "$work/planatlas-out" --base-url "$base_url" ${planatlas_flags[@]+"${planatlas_flags[@]}"} ;;
        baseline) run_once "$runs_file" baseline "$BASELINE" --root "$corpus" build --output "$work/baseline-out" --base-url "$base_url" ${planatlas_flags[@]+"${planatlas_flags[@]}"} ;;
        zola) run_once "$runs_file" zola "$ZOLA" --root "$work/zola-$plans" build --output-dir "$work/zola-out" --force ;;
      esac
    done
  done
  python3 - "$runs_file" "$count" <<'EOF'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    label, wall, cpu, rss = line.split()
    runs[label].append((float(wall), float(cpu), int(rss)))
def median(label, k):
    return statistics.median(r[k] for r in runs[label])
def peak(label):
    return max(r[2] for r in runs[label])
def cell(label):
    if label not in runs:
        return "(not set)"
    return f"{median(label, 0):.2f} s · {median(label, 1):.2f} s CPU · {peak(label) // 1024} MiB"
ratio = ""
if "zola" in runs:
    ratio = (f"{median('planatlas', 0) / median('zola', 0):.2f}× time, "
             f"{peak('planatlas') / peak('zola'):.2f}× memory")
print(f"| {sys.argv[2]} | {cell('planatlas')} | {cell('baseline')} | {cell('zola')} | {ratio} |")
EOF
  rm -rf "$corpus" "$work/zola-$plans" "$runs_file"
done
