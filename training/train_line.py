"""Train the CTC line recogniser on synthetic lines generated afresh for every batch."""
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from ocr.recognition.ctc import encode, greedy_decode

from .line_model import build, default_arch, save_line_model, strips_to_tensor
from .line_synth import make_lines
from .metrics import line_cer
from .train_torch import seed_everything


def ctc_batch_loss(net, strips, texts, alphabet):
    """Mean CTC loss (per target character) of a batch and the network's log-probabilities ``(T, N, C)``."""
    x, frames = strips_to_tensor(strips)
    logp = net(x)
    targets = torch.tensor([k for t in texts for k in encode(t, alphabet)], dtype=torch.long)
    target_lengths = torch.tensor([len(t) for t in texts], dtype=torch.long)
    input_lengths = torch.from_numpy(np.minimum(frames, logp.shape[0])).long()
    loss = F.ctc_loss(logp, targets, input_lengths, target_lengths, blank=0, reduction="sum", zero_infinity=True)
    return loss / max(int(target_lengths.sum()), 1), logp, input_lengths


def evaluate_lines(net, strips, texts, alphabet, batch_size=64):
    """Mean CTC loss per character and greedy line CER of ``net`` on fixed lines."""
    net.eval()
    loss_sum, chars, predicted = 0.0, 0, []
    with torch.no_grad():
        for start in range(0, len(texts), batch_size):
            s, t = strips[start: start + batch_size], texts[start: start + batch_size]
            loss, logp, lengths = ctc_batch_loss(net, s, t, alphabet)
            n = sum(len(x) for x in t)
            loss_sum += loss.item() * n
            chars += n
            probs = logp.exp().numpy()
            predicted += [greedy_decode(probs[: lengths[j], j], alphabet).text for j in range(len(t))]
    return loss_sum / max(chars, 1), line_cer(predicted, texts)


def learning_rate(progress, peak, warmup=0.05, floor=0.02):
    """Linear warm-up to ``peak`` over the first ``warmup`` of training, then cosine decay to ``floor * peak``."""
    if progress < warmup:
        return peak * (0.1 + 0.9 * progress / warmup)
    t = min(1.0, (progress - warmup) / (1 - warmup))
    return peak * (floor + (1 - floor) * 0.5 * (1 + np.cos(np.pi * t)))


def train_line(bank, valid, epochs=40, steps_per_epoch=300, batch_size=32, lr=1e-3, seed=0, out_path="runs/line/line.pt",
               arch=None, progress=True, threads=2, weight_decay=1e-4, on_epoch=None, time_budget=None, init=None):
    """Train a :class:`training.line_model.LineCTC` and keep the checkpoint with the lowest valid CER.

    Every batch is ``batch_size`` fresh lines from :func:`training.line_synth.make_lines` over
    ``bank``, or, for a :class:`training.mixed_lines.LineSet`, lines drawn from it; AdamW with :func:`learning_rate` (warm-up, cosine decay) over ``epochs * steps_per_epoch``
    steps, or over ``time_budget`` seconds of wall-clock time when that comes first (training then stops
    early, so a run on a shared machine still ends annealed; such runs are not bit-reproducible).
    After every epoch the model is scored on the fixed ``valid`` lines, the best checkpoint is written to
    ``out_path`` and the latest to ``out_path`` with suffix ``.last.pt``.

    Parameters
    ----------
    bank : training.line_synth.GlyphBank or training.mixed_lines.LineSet
    valid : (list of (LINE_HEIGHT, W) arrays, list of str)
    epochs, steps_per_epoch, batch_size, seed, threads : int
    lr, weight_decay : float
    out_path : str or Path
    arch : dict, optional
        Overrides :func:`training.line_model.default_arch`.
    progress : bool
        Show a tqdm bar per epoch on stderr.
    on_epoch : callable, optional
        Called with the history dict after every epoch (plots).
    time_budget : float, optional
        Seconds; the schedule follows whichever of steps and time is further along.
    init : training.line_model.LineRecogniser, optional
        Start from this model's weights and architecture (``arch`` is then ignored).

    Returns
    -------
    model_path : Path
    history : dict
        ``train_loss``, ``valid_loss``, ``train_cer``, ``valid_cer`` per epoch, ``best_epoch``, ``seconds``.
    """
    torch.set_num_threads(threads)
    rng = seed_everything(seed)
    arch = dict(init.arch) if init is not None else {**default_arch(), **(arch or {})}
    alphabet = arch["alphabet"]
    net = build(arch)
    if init is not None:
        net.load_state_dict(init.net.state_dict())
    settings = dict(epochs=epochs, steps_per_epoch=steps_per_epoch, batch_size=batch_size, lr=lr, seed=seed,
                    weight_decay=weight_decay, optimizer="AdamW+cosine", glyphs=len(bank), time_budget=time_budget)
    if init is not None:
        settings["init"] = {"settings": init.settings, "metrics": init.metrics}
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=weight_decay)
    total_steps, done = epochs * steps_per_epoch, 0
    history = {"train_loss": [], "valid_loss": [], "train_cer": [], "valid_cer": []}
    best, out_path = np.inf, Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    epoch, fraction = 0, 0.0
    while fraction < 1.0:
        epoch += 1
        net.train()
        loss_sum, n_steps, predicted, truth = 0.0, 0, [], []
        bar = tqdm(range(steps_per_epoch), desc=f"line epoch {epoch}/{epochs}", leave=False, disable=not progress,
                   unit="batch")
        for step in bar:
            for group in opt.param_groups:
                group["lr"] = learning_rate(fraction, lr)
            strips, texts = bank.batch(batch_size, rng) if hasattr(bank, "batch") else make_lines(bank, batch_size, rng)
            loss, logp, lengths = ctc_batch_loss(net, strips, texts, alphabet)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            loss_sum += loss.item()
            n_steps += 1
            done += 1
            bar.set_postfix(loss=f"{loss.item():.3f}")
            fraction = max(done / total_steps, (time.perf_counter() - start) / time_budget if time_budget else 0.0)
            if step >= steps_per_epoch - 3 or fraction >= 1.0:
                probs = logp.detach().exp().numpy()
                predicted += [greedy_decode(probs[: lengths[j], j], alphabet).text for j in range(len(texts))]
                truth += texts
            if fraction >= 1.0:
                break
        valid_loss, valid_cer = evaluate_lines(net, *valid, alphabet)
        for key, value in (("train_loss", loss_sum / n_steps), ("train_cer", line_cer(predicted, truth)),
                           ("valid_loss", valid_loss), ("valid_cer", valid_cer)):
            history[key].append(value)
        history["seconds"] = time.perf_counter() - start
        metrics = {"epoch": epoch, "valid_loss": valid_loss, "valid_cer": valid_cer, "seconds": history["seconds"]}
        save_line_model(out_path.with_suffix(".last.pt"), net, arch, settings, metrics)
        if valid_cer < best:
            best = valid_cer
            history["best_epoch"] = epoch
            save_line_model(out_path, net, arch, settings, metrics)
        if progress:
            tqdm.write(f"line epoch {epoch}/{epochs}: train loss {history['train_loss'][-1]:.3f} "
                       f"cer {history['train_cer'][-1]:.3f} | valid loss {valid_loss:.3f} cer {valid_cer:.3f} "
                       f"| {history['seconds']:.0f} s")
        if on_epoch is not None:
            on_epoch(history)
    return out_path, history
