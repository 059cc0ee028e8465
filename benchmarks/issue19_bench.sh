#!/bin/bash
# Issue 19's round targets on a quiet machine (benchmarks/README.md, "Session 4"):
# benchmarks/issue19_bench.sh OUT  (from the repository root, nothing else running)
set -u
L=${1:?a folder for the tables}
mkdir -p $L
git log --oneline -1 > $L/commit.txt
uptime > $L/uptime-start.txt
.venv/bin/python benchmarks/run.py --sizes 300 --variants loose,tight --time-limit 120 --methods camp-planner,highs --out $L/results-300.md > $L/run300.log 2>&1
uptime >> $L/uptime-start.txt
for i in 2 3 4 5; do .venv/bin/python benchmarks/run.py --sizes 300 --variants tight --time-limit 60 --methods camp-planner --out $L/results-300tight-$i.md > $L/run300t-$i.log 2>&1; done
uptime >> $L/uptime-start.txt
.venv/bin/python benchmarks/run.py --sizes 1000 --variants tight --time-limit 60 --methods camp-planner,highs-calendar --out $L/results-1000.md > $L/run1000.log 2>&1
uptime >> $L/uptime-start.txt
for i in 2 3; do .venv/bin/python benchmarks/run.py --sizes 1000 --variants tight --time-limit 60 --methods camp-planner --out $L/results-1000-$i.md > $L/run1000-$i.log 2>&1; done
uptime >> $L/uptime-start.txt
.venv/bin/python benchmarks/large_run.py --time-limit 60 --work $L/large > $L/large.log 2>&1
uptime >> $L/uptime-start.txt
.venv/bin/python benchmarks/run.py --sizes 60,150 --variants tight,loose --time-limit 60 --methods camp-planner --out $L/results-small.md > $L/runsmall.log 2>&1
.venv/bin/python benchmarks/run.py --sizes 3000 --variants loose --time-limit 60 --methods camp-planner --out $L/results-3000.md > $L/run3000.log 2>&1
uptime > $L/uptime-end.txt
echo done
