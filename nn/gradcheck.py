"""Numerical gradient checking by central differences."""
import numpy as np


def relative_error(analytic, numeric, tiny=1e-12):
    """Elementwise ``|a - n| / max(|a| + |n|, tiny)``."""
    return np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), tiny)


def numerical_gradient(f, x, eps=1e-6):
    """Central-difference gradient of scalar ``f()`` with respect to array ``x`` (changed in place, restored)."""
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = f()
        flat[i] = old - eps
        f_minus = f()
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def check_gradients(model, loss_fn, x, target, eps=4e-5, check_input=True, floor=1e-4):
    """Compare backprop gradients of ``model`` with central differences.

    Parameters
    ----------
    model : Sequential or layer
        Anything with ``forward(x) -> (y, cache)``, ``backward(dy, cache, input_grad)``
        and ``params``/``grads`` (a ``Sequential`` exposes ``named_parameters``).
    loss_fn : callable
        ``loss_fn(output, target) -> (loss, d_output)``.
    x, target : arrays
    eps : float
    check_input : bool
        Also check d/dx (``backward`` is asked for it only then).
    floor : float
        The denominator's ``tiny`` for each parameter is ``floor`` times its
        largest analytic gradient magnitude: entries far below that scale are
        swamped by float64 roundoff in the loss and are judged on that scale.

    Returns
    -------
    dict
        Maximum relative error per parameter name (and ``'input'``).
    """
    x = np.array(x, dtype=np.result_type(x, np.float64))

    def loss():
        out, _ = model.forward(x)
        return loss_fn(out, target)[0]

    out, cache = model.forward(x)
    _, dout = loss_fn(out, target)
    dx = model.backward(dout, cache, input_grad=check_input)
    if hasattr(model, "named_parameters"):
        params = [(name, p, g.copy()) for name, p, g in model.named_parameters()]
    else:
        params = [(k, model.params[k], model.grads[k].copy()) for k in model.params]

    errors = {}
    for name, p, g in params:
        errors[name] = _max_error(g, numerical_gradient(loss, p, eps), floor)
    if check_input:
        errors["input"] = _max_error(dx, numerical_gradient(loss, x, eps), floor)
    return errors


def _max_error(analytic, numeric, floor):
    tiny = max(floor * float(np.abs(analytic).max(initial=0.0)), 1e-12)
    return float(relative_error(analytic, numeric, tiny).max())
