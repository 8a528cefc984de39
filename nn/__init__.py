"""A small NumPy neural-network library with explicit forward/backward caches."""
from .activations import ReLU, Sigmoid, Softmax, Tanh, log_softmax, sigmoid, softmax
from .batching import minibatch_indices, minibatches
from .gradcheck import check_gradients, numerical_gradient, relative_error
from .init import xavier_uniform
from .layers import Linear
from .losses import softmax_cross_entropy, squared_error
from .optim import SGD
from .sequential import Sequential, mlp

__all__ = [
    "Linear", "ReLU", "Sigmoid", "Softmax", "Tanh", "Sequential", "SGD", "mlp",
    "sigmoid", "softmax", "log_softmax", "softmax_cross_entropy", "squared_error",
    "xavier_uniform", "minibatches", "minibatch_indices",
    "check_gradients", "numerical_gradient", "relative_error",
]
