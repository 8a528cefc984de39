"""Each training default lives in training.recipes: the CLI and the trainers show the same values."""
import inspect

import pytest

from handocr.commands import cli
from training.recipes import AUTOENCODER, MLP, TORCH
from training.train_numpy import train_autoencoder, train_mlp
from training.train_torch import train_torch


def cli_defaults(*path):
    command = cli
    for name in path:
        command = command.commands[name]
    return {p.name: p.default for p in command.params}


@pytest.mark.parametrize("command, recipe", [(("train", "mlp"), MLP), (("train", "autoencoder"), AUTOENCODER),
                                             (("train", "cnn"), TORCH["cnn"]),
                                             (("train", "torch-mlp"), TORCH["torch-mlp"])])
def test_cli_defaults_are_the_recipes(command, recipe):
    shown = cli_defaults(*command)
    for key, value in recipe.items():
        assert shown[key] == value, key


@pytest.mark.parametrize("trainer, recipe", [(train_mlp, MLP), (train_autoencoder, AUTOENCODER)])
def test_numpy_trainer_defaults_are_the_recipes(trainer, recipe):
    params = inspect.signature(trainer).parameters
    for key, value in recipe.items():
        if key != "augment":  # the CLI flag; the trainer takes the augmentation function itself
            assert params[key].default == value, key


def test_torch_trainer_has_no_default_output_path():
    """A trainer that writes into models/ by default overwrites shipped weights; the caller must say where."""
    assert inspect.signature(train_torch).parameters["out_path"].default is inspect.Parameter.empty
    assert all(str(p.default) != "models" and "models/" not in str(p.default)
               for p in inspect.signature(train_torch).parameters.values())
