"""How rustc's check time of a server trait grows with its methods: a trait
of N methods returning `impl Future + Send` (what the generated `Api` trait
declares, and what `async fn` in a trait desugars to) checked alone, in three
shapes, interleaved (each repetition runs every shape and size once):

- `ref`: `fn m(&self, ...) -> impl Future<...> + Send`, the `Api` trait's
  shape. The returned future captures the lifetime of `&self`, so each method
  adds a generic associated type to the trait;
- `arc`: `fn m(self: Arc<Self>, ...) -> impl Future<...> + Send`, the same
  without a lifetime;
- `boxed`: `fn m(&self, ...) -> Pin<Box<dyn Future<...> + Send + '_>>`.

    python3 trait_scaling.py [--sizes 400,800,1600,3200] [--repeat 3]

Prints the median wall time of `rustc --emit=metadata` per shape and size,
and each size's ratio to the size before it (4 when doubling is quadratic).
"""

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

SHAPES = {
    "ref": "fn m{i}(&self, request: Request<u8>) -> impl std::future::Future<Output = Request<[u8; {i}]>> + Send;",
    "arc": "fn m{i}(self: std::sync::Arc<Self>, request: Request<u8>) -> impl std::future::Future<Output = Request<[u8; {i}]>> + Send;",
    "boxed": "fn m{i}(&self, request: Request<u8>) -> std::pin::Pin<Box<dyn std::future::Future<Output = Request<[u8; {i}]>> + Send + '_>>;",
}


def source(shape, methods):
    lines = ["pub struct Request<T>(pub T);", "pub trait Api: Send + Sync + 'static {"]
    lines += ["    " + SHAPES[shape].format(i=i) for i in range(methods)]
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="400,800,1600,3200")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    times = {(shape, size): [] for shape in SHAPES for size in sizes}
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        for shape in SHAPES:
            for size in sizes:
                (work / f"{shape}{size}.rs").write_text(source(shape, size))
        for round_ in range(args.repeat):
            order = [(shape, size) for shape in SHAPES for size in sizes]
            if round_ % 2:
                order.reverse()
            for shape, size in order:
                started = time.perf_counter()
                subprocess.run(
                    ["rustc", "--edition", "2021", "--crate-type", "lib", "--emit=metadata",
                     "-o", str(work / f"{shape}{size}.rmeta"), str(work / f"{shape}{size}.rs")],
                    check=True,
                )
                times[(shape, size)].append(time.perf_counter() - started)
    print("| methods | " + " | ".join(SHAPES) + " |")
    print("|---|" + "---|" * len(SHAPES))
    for index, size in enumerate(sizes):
        cells = []
        for shape in SHAPES:
            median = statistics.median(times[(shape, size)])
            cell = f"{median:.2f} s"
            if index:
                before = statistics.median(times[(shape, sizes[index - 1])])
                cell += f" ({median / before:.1f}x)"
            cells.append(cell)
        print(f"| {size} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
