"""The `sitegen` command: parse arguments, call the pipeline, map errors to
exit codes (0 success, 1 a --strict check failed, 2 bad usage or bad input).
Every error is one line on stderr, never a traceback."""

from __future__ import annotations

import functools
import gc
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click

from sitegen import __version__, pipeline
from sitegen.config import CONFIG_NAME, Config, find_config, load_config
from sitegen.errors import SitegenError, StrictFailure, one_line, shown
from sitegen.export import FORMATS, writer
from sitegen.files import write_atomic_bytes


WAITING = "waiting for another sitegen build of this repository to finish …"
"""Said when a build (or a serve rebuild) waits for another of the same repository."""


@dataclass(frozen=True)
class _Run:
    """The global options, wherever they were given on the command line."""

    config_path: Path | None
    verbosity: int

    @classmethod
    def of(cls, click_ctx: click.Context) -> _Run:
        meta = click_ctx.meta  # shared by the group's and the subcommand's contexts
        quiet, verbose = meta.get("sitegen.quiet", False), meta.get("sitegen.verbose", False)
        return cls(meta.get("sitegen.config_path"), 0 if quiet else 2 if verbose else 1)

    def config(self) -> Config:
        config = load_config(self.config_path or find_config(Path.cwd()))
        root = os.path.relpath(config.root_dir)  # "..", when found above: where the run reads
        if config.file is None:
            self.say(f"no {CONFIG_NAME} here or in a folder above it (up to the repository's top): "
                     f"using the defaults, root {root}", level=2)
        else:
            self.say(f"using {os.path.relpath(config.file)}, root {root}", level=2)
        return config

    def say(self, message: str, level: int = 1) -> None:
        if self.verbosity >= level:
            click.echo(message, err=True)


def _remember(click_ctx: click.Context, param: click.Parameter, value) -> None:
    if value:  # a flag not given, or no -c, leaves what an earlier position set
        click_ctx.meta[f"sitegen.{param.name}"] = value


# Accepted before and after the subcommand (`sitegen -q build`, `sitegen build -q`).
GLOBAL_OPTIONS = (
    click.option("-c", "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
                 expose_value=False, callback=_remember,
                 help=f"Config file (default: the nearest {CONFIG_NAME} here or in a folder above, up to the "
                      "repository's top; without one, defaults apply and the current folder is the root)."),
    click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_remember, help="Print errors only."),
    click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=_remember,
                 help="Print the config and root used, and what each step did."),
)


def _global_options(command):
    for option in reversed(GLOBAL_OPTIONS):
        command = option(command)
    return command


def _subcommand(function):
    """A subcommand's body: called with the run's settings first, its
    SitegenErrors turned into one line on stderr and their exit code."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        run = _Run.of(click.get_current_context())
        try:
            return function(run, *args, **kwargs)
        except SitegenError as exc:
            click.echo(f"sitegen: error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return _global_options(wrapper)


def _report_warnings(run: _Run, warnings) -> None:
    for warning in warnings:
        run.say(f"sitegen: warning: {warning}")


def _counts(collected: pipeline.Collected, kinds: tuple[str, ...]) -> str:
    """What the collectors of `kinds` found, in a few words."""
    tasks = sum(d.total for d in collected.documents)
    said = {"checklists": f"{len(collected.documents)} checklist document(s) with {tasks} task(s)",
            "todos": f"{len(collected.todos)} TODO(s)", "findings": f"{len(collected.findings)} finding(s)"}
    return ", ".join(said[kind] for kind in pipeline.KINDS if kind in kinds)


def _describe(run: _Run, collected: pipeline.Collected) -> None:
    """With -v: where the TODOs were found and what the scan passed over."""
    summary = collected.todo_meta.get("summary", {})
    if summary:
        skipped = ", ".join(f"{n} {reason}" for reason, n in summary.get("skipped", {}).items())
        run.say(f"todos: {len(collected.todos)} in {summary.get('files_with_todos', 0)} of "
                f"{summary.get('files_scanned', 0)} scanned file(s)" + (f"; skipped {skipped}" if skipped else ""),
                level=2)
    for line in collected.said:
        run.say(line, level=2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@_global_options
@click.version_option(__version__, prog_name="sitegen")
def cli() -> None:
    """Publish a project's health (TODO comments, task checklists, audit findings) as a static site."""


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--force", is_flag=True, help=f"Overwrite an existing {CONFIG_NAME}.")
@_subcommand
def init(run: _Run, directory: Path, force: bool) -> None:
    """Write a commented sitegen.yaml (and content/) for a repository."""
    from sitegen.init import init_repository  # its module: 9 ms of imports no other command needs

    done = init_repository(directory, force=force)
    for line in done.found.summary() or ["found no checklists, reports or tool output yet: the defaults read "
                                         "TODO.md, TASKS.md, ROADMAP.md, *AUDIT*.md, *READINESS*.md and *.sarif"]:
        run.say(line)
    if done.source_url:
        run.say(f"source_url: {done.source_url} (from the origin remote)")
    for path in done.written:
        run.say(f"wrote {shown(path)}")
    if done.gitignore is None:
        run.say("no .gitignore here: to keep what sitegen writes out of git, put these lines in yours:")
        for line in done.ignore:
            run.say(f"    {line}")
    elif done.ignore:
        run.say(f"added to {shown(done.gitignore)}: {' '.join(done.ignore)}")
    where = "" if directory.resolve() == Path.cwd() else f"cd {shown(directory)} && "
    run.say(f"next: {where}sitegen build, then open {Path(Config(base_dir=Path()).output, 'index.html')}")


@cli.command()
@click.option("--only", "only", type=click.Choice(pipeline.KINDS), multiple=True,
              help="Run only this collector (repeatable).")
@click.option("--no-cache", is_flag=True, help="Read every file again, ignoring the per-file cache.")
@_subcommand
def collect(run: _Run, only: tuple[str, ...], no_cache: bool) -> None:
    """Run the collectors and write content/*.yaml."""
    config = run.config()
    started = time.perf_counter()
    kinds = only or pipeline.KINDS
    collected = pipeline.collect(config, kinds=kinds, use_cache=not no_cache)
    _report_warnings(run, collected.notices)
    _describe(run, collected)
    for path in collected.written:
        run.say(f"wrote {pipeline.shown(path)}", level=2)
    run.say(f"collected {_counts(collected, kinds)} in {time.perf_counter() - started:.2f}s")


@cli.command()
@click.option("--no-collect", is_flag=True, help="Render from the existing content/ files.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on any warning, leaving the old site.")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Output folder (default: the config's `output`).")
@click.option("--force", is_flag=True,
              help="Adopt an output folder that holds only the site of an earlier sitegen build "
                   "(one from before sites were marked as sitegen's).")
@_subcommand
def build(run: _Run, no_collect: bool, strict: bool, out_dir: Path | None, force: bool) -> None:
    """Collect (unless --no-collect), then render the site."""
    config = run.config()
    started = time.perf_counter()
    try:
        built = pipeline.build(config, run_collectors=not no_collect, strict=strict, out_dir=out_dir,
                               adopt=force, waiting=lambda: run.say(WAITING))
    except StrictFailure as exc:
        _report_warnings(run, exc.warnings)
        raise
    _report_warnings(run, built.warnings)
    _describe(run, built.collected)
    run.say(
        f"built {built.pages} page(s) ({built.rendered} rendered, the rest unchanged) into "
        f"{pipeline.shown(built.output)} "
        f"in {time.perf_counter() - started:.2f}s"
    )


@cli.command()
@click.option("--format", "format_name", type=click.Choice(list(FORMATS)), required=True,
              help="json: data/health.json's schema; csv: a row per item; markdown: a summary for a pull "
                   "request's comment; sarif: SARIF 2.1.0 for code scanning; codequality: GitLab Code Quality.")
@click.option("-o", "--output", "out_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file (replaced in one step) instead of standard output.")
@click.option("--no-collect", is_flag=True, help="Export the existing content/ files instead of collecting.")
@click.option("--baseline", metavar="REF|DIR",
              help="markdown: also what is new and resolved since a git revision or a saved content folder.")
@_subcommand
def export(run: _Run, format_name: str, out_file: Path | None, no_collect: bool, baseline: str | None) -> None:
    """Collect (unless --no-collect), then write every item in another format."""
    config = run.config()
    exported = pipeline.export_snapshot(config, run_collectors=not no_collect, baseline=baseline)
    _report_warnings(run, exported.warnings)
    # Strict UTF-8 whatever the text holds (a lone surrogate from an undecodable source line).
    data = writer(format_name)(exported.snapshot).encode("utf-8", "replace")
    if out_file is None:
        stdout = click.get_binary_stream("stdout")
        stdout.write(data)
        stdout.flush()
    else:
        write_atomic_bytes(out_file, data)
    run.say(f"exported {len(exported.snapshot.items)} item(s) as {format_name}"
            + (f" to {shown(out_file)}" if out_file else ""), level=2 if out_file is None else 1)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; another than loopback makes the report visible on the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on; 0 picks a free one (the URL is printed).")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@click.option("--no-collect", is_flag=True, help="Render from the content/ files (and watch those) "
                                                 "instead of the sources.")
@_subcommand
def serve(run: _Run, host: str, port: int, open_browser: bool, no_collect: bool) -> None:
    """Build, serve the site, rebuild what each save changes and reload the browser."""
    from sitegen.serve import Options, serve as serve_site
    from sitegen.serve.session import Session

    run.config()  # (says which config and root, with -v; a bad config stops here)
    session = Session(run.config_path, run_collectors=not no_collect,
                      waiting=lambda: run.say(WAITING))
    def say(message: str) -> None:
        # The URL and errors are printed even with -q: without the URL the server is of no use.
        if run.verbosity or not message.startswith("rebuilt"):
            click.echo(message, err=message.startswith("sitegen:"))

    serve_site(session, Options(host, port, open_browser), say)


@cli.command()
@click.option("--baseline", metavar="REF|DIR",
              help="Compare with a git revision (e.g. origin/main) or a saved content folder: "
                   "what gate.max_new and gate.max_reopened judge.")
@click.option("--format", "output_format", type=click.Choice(["text", "github"]), default="text",
              show_default=True, help="github: also GitHub Actions annotations on the failing items' lines.")
@click.option("--no-collect", is_flag=True, help="Judge the existing content/ files.")
@_subcommand
def check(run: _Run, baseline: str | None, output_format: str, no_collect: bool) -> None:
    """Judge the items against the rules in the config's `gate:` (exit 1 when one fails)."""
    from sitegen import gate
    from sitegen.baseline import load_baseline

    config = run.config()
    now = pipeline.current(config, run_collectors=not no_collect)
    before = load_baseline(config, baseline) if baseline else None
    if before is not None:
        run.say(f"baseline {before.label}: {len(before.items)} item(s)", level=2)
    outcomes = gate.judge(config.gate, now.items, now.views.documents,
                          before.items if before else None, before.label if before else "the baseline")
    if not outcomes:
        run.say(f"no rules in the `gate:` section of {pipeline.shown(config.file) if config.file else 'the config'}; "
                "nothing to check")
        return
    if output_format == "github":
        for line in gate.github_annotations(outcomes):
            click.echo(line)
    if run.verbosity:
        for line in gate.text_report(outcomes):
            click.echo(line)
    if summary_file := os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(summary_file, "a", encoding="utf-8") as summary:
            summary.write(gate.markdown_summary(outcomes))
    failed = any(not outcome.passed for outcome in outcomes)
    click.echo(f"sitegen: {gate.verdict(outcomes)}", err=True)
    if failed:
        sys.exit(1)


@cli.command("history")
@click.option("--rebuild", is_flag=True, help="Fill content/history.yaml from past revisions (git archive; "
                                             "your checkout is not touched), collected with today's config.")
@click.option("--since", metavar="REF", help="With --rebuild: only the revisions after REF.")
@_subcommand
def history_command(run: _Run, rebuild: bool, since: str | None) -> None:
    """Show content/history.yaml (one entry per collected revision), or --rebuild it."""
    from sitegen import history

    config = run.config()
    if since and not rebuild:
        raise click.UsageError("--since goes with --rebuild")
    if rebuild:
        from sitegen.history_rebuild import rebuild as rebuild_history

        started = time.perf_counter()
        entries = rebuild_history(config, since, lambda line: run.say(line, level=2))
        run.say(f"wrote {len(entries)} entries to {pipeline.shown(history.history_path(config.content_dir))} "
                f"in {time.perf_counter() - started:.2f}s")
        return
    entries = history.read_history(history.history_path(config.content_dir))
    if not entries:
        run.say("no history yet: each collect at a new git revision adds an entry "
                "(or fill it with `sitegen history --rebuild`)")
    for entry in entries:
        click.echo(f"{entry.revision[:12]}  {entry.date or '':25}  {entry.open:6} open  "
                   f"+{len(entry.new)} -{len(entry.resolved)}")


def _usage_error(exc: click.UsageError) -> str:
    """click's message for a bad command line, in one line with where to look."""
    message = exc.format_message().rstrip(".")
    if message[1:2].islower():
        message = message[0].lower() + message[1:]
    command = exc.ctx.command_path if exc.ctx is not None else "sitegen"
    return one_line(f"{message} (see `{command} --help`)")


def main() -> None:
    # Parsing and rendering allocate many short-lived objects and few cycles:
    # collecting the young generation less often saves about a tenth of a build.
    gc.set_threshold(50_000, 20, 20)
    try:
        code = _run_command()
    except SystemExit as exc:  # sys.exit in a command, as the interpreter would take it
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    # The interpreter's own exit frees every object of the run one by one: a
    # tenth of a second after a build of 100,000 tasks, for nothing (mypy
    # leaves the same way). Everything is written by now; only the streams
    # are flushed.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone (`sitegen export … | head`), or a closed stream
            pass
    os._exit(code)


def _run_command() -> int:
    """The command line's command run, its errors said in one line: the exit code."""
    try:
        code = cli.main(prog_name="sitegen", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.format_message(), err=True)
        return 2
    except click.UsageError as exc:
        click.echo(f"sitegen: error: {_usage_error(exc)}", err=True)
        return exc.exit_code
    except click.ClickException as exc:
        click.echo(f"sitegen: error: {one_line(exc.format_message())}", err=True)
        return exc.exit_code
    except click.Abort:
        click.echo("sitegen: interrupted", err=True)
        return 130
    except OSError as exc:  # the disk, not the input: full, read-only, no permission
        where = f"{shown(exc.filename)}: " if exc.filename else ""
        click.echo(f"sitegen: error: {one_line(where + (exc.strerror or str(exc)))}", err=True)
        return 2
    return code if isinstance(code, int) else 0
