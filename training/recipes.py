"""Training defaults: the one place each default lives.

The trainers take these as their keyword defaults and the CLI shows them as its
option defaults, so a bare ``python cli.py train KIND`` and a bare trainer call
do the same thing.
"""

MLP = dict(hidden=64, epochs=50, lr=0.02, batch_size=32, momentum=0.9, weight_decay=0.0, augment=True)
"""NumPy MLP 1024-64-36 (sigmoid), minibatch SGD with momentum (the card's network)."""

AUTOENCODER = dict(hidden=32, epochs=100, lr=3e-5, batch_size=36, momentum=0.9)
"""NumPy autoencoder 1024-32-32-32-1024, SGD with momentum on total squared error."""

TORCH = {
    "cnn": dict(epochs=30, lr=3e-3, batch_size=128, weight_decay=1e-4, label_smoothing=0.05, threads=2,
                samples_per_epoch=36000, balanced=True, augment=True),
    "torch-mlp": dict(epochs=40, lr=3e-3, batch_size=32, weight_decay=1e-4, label_smoothing=0.0, threads=1,
                      samples_per_epoch=None, balanced=False, augment=True),
}
"""PyTorch trainers (AdamW with a one-cycle schedule). ``samples_per_epoch`` None
means one pass over the training set; ``balanced`` draws every class equally often."""

ARCH = {
    "cnn": dict(channels=[32, 64, 128], convs_per_block=2, hidden=256, dropout=0.3),
    "torch-mlp": dict(hidden=64),
}
"""Network shapes of new models (saved files carry their own)."""

WRITING = dict(pages=400, l2=1e-2, steps=3000, lr=0.5)
"""Writing / non-writing decision (``train writing``): synthetic pages put through the reader, and the
logistic regressions' L2 weight, gradient steps and step size."""
