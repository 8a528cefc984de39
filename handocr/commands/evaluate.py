"""``evaluate``, ``evaluate-ocr``, ``evaluate-lines``: a model on NIST36, page reading against truth, line CER."""
import json
from pathlib import Path

import click
import numpy as np

from ocr.errors import OCRError, first_line
from ocr.recognition.lexicon import DEFAULT_LEXICON

from .options import (DATA_DIR_OPTION, FORMAT_OPTION, MODEL_HELP, SEED_OPTION, emit, engine_options, fail,
                      load_data_or_fail, load_model_or_fail, read_options_or_fail, reader_classifier_or_fail)


@click.command("evaluate-ocr")
@click.option("--pages", "pages_dir", required=True, type=click.Path(),
              help="Folder of NAME.jpg|png pages with NAME.txt truth beside them.")
@click.option("--model", default="cnn", show_default=True, help=MODEL_HELP)
@engine_options
@FORMAT_OPTION
def evaluate_ocr(pages_dir, model, engine, line_model, mixed_model, lexicon, fmt):
    """Score page reading against truth: CER with case ignored and kept, WER, line counts; per page, category, source.

    Categories and sources come from the folder's sources.tsv (columns file, repo, category) when it has one.
    """
    from training.evaluate_pages import evaluate_pages, overall, overall_by

    if not Path(pages_dir).is_dir():
        fail(f"{pages_dir}: no such directory")
    classifier = reader_classifier_or_fail(model)
    options = read_options_or_fail(engine, line_model, lexicon, mixed_model)
    try:
        rows = evaluate_pages(pages_dir, classifier, **options)
    except OCRError as exc:
        fail(first_line(exc))
    if not rows:
        fail(f"{pages_dir}: no NAME.jpg|png pages with NAME.txt truth")
    total = overall(rows)
    groups = {key: overall_by(rows, key) for key in ("category", "repo")}
    if fmt == "json":
        keep = ("page", "category", "repo", "cer", "cer_cased", "wer", "lines", "truth_lines", "lines_match", "chars",
                "text", "seconds")
        click.echo(json.dumps({"pages": [{k: r[k] for k in keep} for r in rows], "overall": total,
                               "categories": groups["category"], "sources": groups["repo"]}))
        return
    width = max(len("page"), max(len(r["page"]) for r in rows), *(len(g) for g in groups["repo"]))
    click.echo(f"{'page':<{width}}  {'CER':>6}  {'cased':>6}  {'WER':>6}  lines")
    for r in rows:
        mark = "ok" if r["lines_match"] else "MISMATCH"
        click.echo(f"{r['page']:<{width}}  {r['cer']:6.1%}  {r['cer_cased']:6.1%}  {r['wer']:6.1%}  "
                   f"{r['lines']}/{r['truth_lines']} {mark}")
    for key, title in (("category", "category"), ("repo", "source")):
        for name, t in groups[key].items():
            click.echo(f"{name:<{width}}  {t['cer']:6.1%}  {t['cer_cased']:6.1%}  {t['wer']:6.1%}  "
                       f"{t['lines_match']}/{t['pages']} pages match ({title})")
    click.echo(f"{'overall':<{width}}  {total['cer']:6.1%}  {total['cer_cased']:6.1%}  {total['wer']:6.1%}  "
               f"{total['lines_match']}/{total['pages']} pages match")


@click.command("evaluate-lines")
@click.option("--line-model", default=None,
              help="'line' (shipped capitals' model, the default), 'mixed' (shipped mixed-case model, the default with "
                   "--line-set) or a model file path.")
@click.option("--line-set", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Score on this mixed-case line set (`train line-set --split test`: held-out typefaces and pool "
                   "glyphs) instead of capitals composed from NIST36 glyphs.")
@click.option("--split", type=click.Choice(["test", "valid"]), default="test", show_default=True,
              help="NIST36 split whose glyphs compose the lines.")
@click.option("--lines", "n_lines", default=500, show_default=True, type=click.IntRange(1))
@click.option("--spacing", type=click.Choice(["wide", "normal", "touching", "overlapping"]), default=None,
              help="Only this letter spacing (default: the training mix).")
@click.option("--lexicon", default=DEFAULT_LEXICON, show_default=True, help="'en', 'none' or a file of words.")
@DATA_DIR_OPTION
@SEED_OPTION
@FORMAT_OPTION
def evaluate_lines_cmd(line_model, line_set, split, n_lines, spacing, lexicon, data_dir, seed, fmt):
    """Line CER of a CTC recogniser on synthetic lines, without and with the lexicon.

    Capitals composed from NIST36 glyphs, or, with --line-set, a mixed-case line set (CER with case kept; the
    case-ignored CER beside it).
    """
    from training.evaluate_pages import evaluate_line_set
    from training.line_synth import fixed_line_set
    from training.mixed_lines import load_line_set

    if line_set:
        engine, spec = "mixed", line_model or "mixed"
        options = read_options_or_fail(engine, "line", lexicon, spec)
        strips, texts, _ = load_data_or_fail(load_line_set, line_set)
        strips, texts = strips[:n_lines], texts[:n_lines]
        what = f"{len(texts)} mixed-case lines of {line_set}"
    else:
        engine = "line"
        options = read_options_or_fail(engine, line_model or "line", lexicon)
        strips, texts = load_data_or_fail(fixed_line_set, split, data_dir, n_lines, seed + 1234, spacing)
        what = f"{n_lines} {spacing or 'mixed-spacing'} lines from {split} glyphs"
    recogniser = options["mixed" if line_set else "recogniser"]
    if line_set:
        from training.mixed_lines import for_model

        strips = [s.astype(np.float32) for s in for_model(strips, recogniser.strip_scale)]
    result = evaluate_line_set(recogniser, strips, texts, options["lexicon"])
    result.update(split=split, spacing=spacing or "mix", lexicon=lexicon, line_set=line_set)
    emit(result, fmt, [f"{what}: CER {result['cer']:.4f} (case ignored {result['cer_uncased']:.4f}), "
                       f"with lexicon {lexicon} {result['cer_lexicon']:.4f}",
                       f"lexicon changed {result['words_changed']} words ({result['changes_right']} right, "
                       f"{result['changes_wrong']} wrong, {result['digit_words_changed']} with digits); "
                       f"{1000 * result['seconds_per_line']:.1f} ms per line"])


@click.command()
@click.option("--model", "model_spec", default="cnn", show_default=True,
              help="cnn, mlp, torch-mlp, autoencoder, or a model file (.npz / .pt).")
@click.option("--split", type=click.Choice(["test", "valid", "train"]), default="test", show_default=True)
@click.option("--confusion", type=click.Path(dir_okay=False), default=None, help="Write the confusion matrix PNG.")
@DATA_DIR_OPTION
@FORMAT_OPTION
def evaluate(model_spec, split, confusion, data_dir, fmt):
    """Accuracy (classifier) or PSNR (autoencoder) of a model on a NIST36 split."""
    from training.data import load_split
    from training.evaluate import evaluate_autoencoder, evaluate_classifier
    from training.provenance import data_mismatch

    model = load_model_or_fail(model_spec)
    data_split = load_data_or_fail(load_split, split, data_dir)
    mismatch = data_mismatch(getattr(model, "settings", {}), data_split)
    if model.kind == "autoencoder":
        result = evaluate_autoencoder(model, data_split)
        lines = [f"mean PSNR on {split} ({result['n']} images): {result['psnr_db']:.2f} dB"]
    else:
        result = evaluate_classifier(model, data_split)
        lines = [f"accuracy on {split} ({result['n']} images): {result['accuracy']:.4f}",
                 f"  with look-alike pairs folded ({' '.join(result['folded_pairs'])}): "
                 f"{result['accuracy_folded']:.4f}"]
        for name, acc in result.get("per_source", {}).items():
            lines.append(f"  {name}: {acc:.4f}")
        lines.append("per class: " + " ".join(f"{c}={a:.2f}" for c, a in result["per_class"].items() if a is not None))
        lines.append("top confusions (true -> predicted: count): " +
                     ", ".join(f"{t}->{p}: {n}" for t, p, n in result["top_confusions"]))
        if confusion:
            from training.plots import confusion_matrix_plot

            confusion_matrix_plot(np.array(result["confusion"]), confusion,
                                  f"{Path(str(model_spec)).name} on {split}: accuracy {result['accuracy']:.3f}")
            lines.append(f"wrote {confusion}")
        if fmt == "json":
            del result["confusion"]
    result.update(split=split, model=str(model_spec), kind=model.kind, data_fingerprint=data_split.fingerprint(),
                  data_matches_model=mismatch is None)
    if mismatch:
        result["data_note"] = mismatch
        lines.append(f"Note: {mismatch}")
        if fmt == "json":
            click.echo(f"Note: {mismatch}", err=True)
    emit(result, fmt, lines)
