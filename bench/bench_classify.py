"""Signal classification throughput on one core, and model load time.

Run: .venv/bin/python bench/bench_classify.py [--posts 3000] [--repeat 3]

Posts are the held-out set plus the bundled corpus (unique texts, 20 to 1,500 characters). The process is
pinned to one CPU and BLAS to one thread. Throughput counts the whole ``SignalDetector.detect_many``
(classifier, entities and sentiment). Load time is measured twice: unpickling the artifact in a warm
process, and a cold process that imports leadsignal and loads the artifact.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import machine, write_section
from leadsignal.nlp import registry
from leadsignal.nlp.classifier import train_model
from leadsignal.nlp.corpus import held_out_examples
from leadsignal.nlp.models import ModelVersion
from leadsignal.nlp.service import SignalDetector
from leadsignal.nlp.training import training_set
from leadsignal.settings import Settings

COLD_LOAD = (
    "import time,sys; t=time.perf_counter(); import joblib; from leadsignal.nlp.classifier import SignalModel; "
    "m=joblib.load(sys.argv[1]); m.predict(['warm up']); print(time.perf_counter()-t)"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    load_avg = os.getloadavg()[0]
    data = training_set(None)
    t0 = time.perf_counter()
    model = train_model(data.texts, data.labels)
    train_s = time.perf_counter() - t0
    texts = list(dict.fromkeys([e.text for e in held_out_examples()] + data.texts))[: args.posts]
    chars = sum(len(t) for t in texts) / len(texts)

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp))
        rel = registry.save_artifact(settings, "bench", model, {})
        row = ModelVersion(version="bench", artifact=rel)
        path = registry.artifact_path(settings, row)
        size_mb = path.stat().st_size / 1e6
        t0 = time.perf_counter()
        loaded = registry.load_artifact(settings, row)
        warm_load = time.perf_counter() - t0
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cold = subprocess.run([sys.executable, "-c", COLD_LOAD, str(path)], capture_output=True, text=True, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cold_load = float(cold.stdout.strip())
        # Whole child CPU (interpreter start-up included): what the load costs on an idle core.
        cold_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    detector = SignalDetector(loaded, "bench")
    detector.detect_many(texts[:50])  # warm caches of the lexicons
    best_wall, best_cpu = 0.0, 0.0
    for i in range(args.repeat):
        batch = [t + " " * i for t in texts]  # distinct strings each round: no cache hits
        w0, c0 = time.perf_counter(), time.process_time()
        detector.detect_many(batch)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        best_wall = max(best_wall, len(batch) / wall)
        best_cpu = max(best_cpu, len(batch) / cpu)

    long_posts = [t for t in data.texts if len(t) >= 600]
    c0 = time.process_time()
    detector.detect_many([t + " ." for t in long_posts])
    long_cpu = len(long_posts) / (time.process_time() - c0)
    long_chars = sum(len(t) for t in long_posts) / len(long_posts)
    n_long = len(long_posts)
    print(
        f"throughput {best_wall:,.0f} posts/s wall, {best_cpu:,.0f} posts/s CPU; load {warm_load:.2f}s warm, "
        f"{cold_load:.2f}s cold ({cold_cpu:.2f}s CPU); train {train_s:.1f}s"
    )
    body = f"""## Signal classification

`.venv/bin/python bench/bench_classify.py --posts {args.posts} --repeat {args.repeat}` on {machine()}, pinned
to one core. {len(texts):,} unique posts (mean {chars:.0f} characters) through `SignalDetector.detect_many`:
classifier, entity rules and VADER sentiment. Best of {args.repeat} rounds. Wall-clock figures depend on
what else the machine is running (1-minute load average {load_avg:.1f} at the start of this run); CPU
figures count only this process.

| measure | value |
|---|---|
| throughput, wall clock | {best_wall:,.0f} posts/s |
| throughput, CPU time | {best_cpu:,.0f} posts/s |
| throughput, CPU time, only the {n_long} posts over 600 characters (mean {long_chars:.0f}) | {long_cpu:,.0f} posts/s |
| model load, warm process (unpickle) | {warm_load:.2f} s |
| model load, cold process (imports + unpickle + first prediction), wall clock | {cold_load:.2f} s |
| the same, CPU time of the whole child process including interpreter start-up | {cold_cpu:.2f} s |
| artifact size | {size_mb:.1f} MB |
| training the bundled default ({len(data.texts):,} posts, 3-fold calibration) | {train_s:.1f} s |
"""
    write_section("classify", body)


if __name__ == "__main__":
    main()
