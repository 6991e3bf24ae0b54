"""The `sitegen` command: parse arguments, call the pipeline, map errors to
exit codes (0 success, 1 a --strict check failed, 2 bad usage or bad input)."""

from __future__ import annotations

import functools
import gc
import sys
import time
from pathlib import Path

import click

from sitegen import __version__, pipeline
from sitegen.config import CONFIG_NAME, Config, default_config_path, load_config
from sitegen.errors import SitegenError, StrictFailure
from sitegen.init import write_starter_files


class _Context:
    def __init__(self, config_path: Path | None, verbosity: int):
        self.config_path = config_path
        self.verbosity = verbosity

    def config(self) -> Config:
        return load_config(self.config_path or default_config_path())

    def say(self, message: str, level: int = 1) -> None:
        if self.verbosity >= level:
            click.echo(message, err=True)


def _reported(command):
    """Turn sitegen's own errors into one line on stderr and the right exit code."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except SitegenError as exc:
            click.echo(f"sitegen: error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def _report_warnings(ctx: _Context, warnings) -> None:
    for warning in warnings:
        ctx.say(f"sitegen: warning: {warning}")


def _describe(ctx: _Context, collected: pipeline.Collected) -> None:
    """With -v: what was collected."""
    tasks = sum(d.total for d in collected.documents)
    ctx.say(f"checklists: {len(collected.documents)} document(s), {tasks} task(s)", level=2)
    summary = collected.todo_meta.get("summary", {})
    if summary:
        skipped = ", ".join(f"{n} {reason}" for reason, n in summary.get("skipped", {}).items())
        ctx.say(f"todos: {len(collected.todos)} in {summary.get('files_with_todos', 0)} of "
                f"{summary.get('files_scanned', 0)} scanned file(s)" + (f"; skipped {skipped}" if skipped else ""),
                level=2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-c", "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help=f"Config file (default: ./{CONFIG_NAME}; without one, defaults apply "
                   "and the current folder is the root).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print what each step did.")
@click.version_option(__version__, prog_name="sitegen")
@click.pass_context
def cli(click_ctx: click.Context, config_path: Path | None, quiet: bool, verbose: bool) -> None:
    """Publish a project's health (TODO comments, task checklists) as a static site."""
    click_ctx.obj = _Context(config_path, 0 if quiet else 2 if verbose else 1)


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--force", is_flag=True, help=f"Overwrite an existing {CONFIG_NAME}.")
@click.pass_obj
@_reported
def init(ctx: _Context, directory: Path, force: bool) -> None:
    """Write a commented sitegen.yaml (and content/) for a repository."""
    for path in write_starter_files(directory, force=force):
        ctx.say(f"wrote {path}")


@cli.command()
@click.option("--only", "only", type=click.Choice(pipeline.KINDS), multiple=True,
              help="Run only this collector (repeatable).")
@click.option("--no-cache", is_flag=True, help="Read every file again, ignoring the per-file cache.")
@click.pass_obj
@_reported
def collect(ctx: _Context, only: tuple[str, ...], no_cache: bool) -> None:
    """Run the collectors and write content/*.yaml."""
    config = ctx.config()
    started = time.perf_counter()
    collected = pipeline.collect(config, kinds=only or pipeline.KINDS, use_cache=not no_cache)
    _report_warnings(ctx, collected.notices)
    _describe(ctx, collected)
    for path in collected.written:
        ctx.say(f"wrote {pipeline.shown(path)}", level=2)
    ctx.say(
        f"collected {len(collected.documents)} checklist document(s) with "
        f"{sum(d.total for d in collected.documents)} task(s), {len(collected.todos)} TODO(s) "
        f"in {time.perf_counter() - started:.2f}s"
    )


@cli.command()
@click.option("--no-collect", is_flag=True, help="Render from the existing content/ files.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on any warning, leaving the old site.")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Output folder (default: the config's `output`).")
@click.option("--force", is_flag=True,
              help="Adopt an output folder that holds only the site of an earlier sitegen build "
                   "(one from before sites were marked as sitegen's).")
@click.pass_obj
@_reported
def build(ctx: _Context, no_collect: bool, strict: bool, out_dir: Path | None, force: bool) -> None:
    """Collect (unless --no-collect), then render the site."""
    config = ctx.config()
    started = time.perf_counter()
    try:
        built = pipeline.build(config, run_collectors=not no_collect, strict=strict, out_dir=out_dir,
                               adopt=force)
    except StrictFailure as exc:
        _report_warnings(ctx, exc.warnings)
        raise
    _report_warnings(ctx, built.warnings)
    _describe(ctx, built.collected)
    ctx.say(
        f"built {built.pages} page(s) ({built.rendered} rendered, the rest unchanged) into "
        f"{pipeline.shown(built.output)} "
        f"in {time.perf_counter() - started:.2f}s"
    )


def main() -> None:
    # Parsing and rendering allocate many short-lived objects and few cycles:
    # collecting the young generation less often saves about a tenth of a build.
    gc.set_threshold(50_000, 20, 20)
    cli(prog_name="sitegen")
