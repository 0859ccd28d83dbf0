"""`run` and `train-step` with `--loss` and `--target` values, and the new stages on the
command line. The network: flatten [[1, 2], [3, 4]] → [1, 2, 3, 4]; linear with
W = [[0.5, 0, 0, 0], [0, 0, 0, 0.5]] → z = [0.5, 2]."""

from __future__ import annotations

import math

import pytest
from click.testing import CliRunner

from cnncalc.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def net(tmp_path, monkeypatch):
    (tmp_path / "x.txt").write_text("1 2\n3 4\n")
    (tmp_path / "w.txt").write_text("0.5 0 0 0\n0 0 0 0.5\n")
    (tmp_path / "t.txt").write_text("1 0\n")
    (tmp_path / "t3.txt").write_text("1 0 1\n")
    (tmp_path / "k.txt").write_text("1 10\n100 1000\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _last_line(result) -> str:
    return result.output.strip().splitlines()[-1]


def test_mse_loss_by_hand(net):
    # ((0.5 − 1)² + (2 − 0)²)/2 = (0.25 + 4)/2 = 2.125
    r = run("run", "x.txt", "flatten | linear(w.txt)", "--loss", "mse", "--target", "t.txt", "--format", "plain")
    assert r.exit_code == 0
    assert r.output.splitlines()[-2:] == ["# loss (mean squared error, target t.txt): 2.1250", "# predicted class: 1"]


def test_a_number_is_every_cells_target_as_torch_broadcasts_it(net):
    # outputs 0.5 and 2: ((0.5 − 0.5)² + (2 − 0.5)²)/2 = 1.125 (torch: F.mse_loss with a
    # 0-d target gives the same)
    r = run("run", "x.txt", "flatten | linear(w.txt)", "--loss", "mse", "--target", "0.5", "--format", "plain")
    assert r.exit_code == 0
    assert r.output.splitlines()[-2] == "# loss (mean squared error, target 0.5): 1.1250"
    # train-step: dL/dz = 2(z − 0.5)/2 = (0, 1.5), so dL/dW = (0, 1.5)ᵀ·(1 2 3 4)
    r = run("train-step", "x.txt", "flatten | linear(w.txt)", "--loss", "mse", "--target", "0.5",
            "--optimizer", "sgd", "--lr", "1", "--format", "json")
    import json

    grad = json.loads(r.output)["params"][0]["grad"]
    assert grad == [[0.0, 0.0, 0.0, 0.0], [1.5, 3.0, 4.5, 6.0]]


def test_bce_after_sigmoid_by_hand(net):
    r = run("run", "x.txt", "flatten | linear(w.txt) | sigmoid", "--loss", "bce", "--target", "t.txt",
            "--format", "json")
    sig = [1 / (1 + math.exp(-0.5)), 1 / (1 + math.exp(-2.0))]
    expected = -(math.log(sig[0]) + math.log(1 - sig[1])) / 2
    import json

    assert abs(json.loads(r.output)["loss"] - expected) < 1e-12


def test_class_losses(net):
    # hinge: max(0, 1 − 2 + 0.5)/2 = 0; nll: −z[0] = −0.5
    r = run("run", "x.txt", "flatten | linear(w.txt)", "--loss", "hinge", "--target", "1", "--format", "plain")
    assert r.output.splitlines()[-2] == "# loss (multi-class hinge, target 1): 0.0000"
    r = run("run", "x.txt", "flatten | linear(w.txt)", "--loss", "nll", "--target", "0", "--format", "plain")
    assert r.output.splitlines()[-2] == "# loss (negative log-likelihood, target 0): -0.5000"
    # the default stays cross-entropy with its own sentence
    r = run("run", "x.txt", "flatten | linear(w.txt)", "--target", "1", "--format", "plain")
    assert r.output.splitlines()[-2] == "# loss (cross-entropy, target class 1): 0.2014"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--loss", "ce", "--target", "t.txt"], "Error: --loss ce needs a class index as --target (got 't.txt')\n"),
        (["--loss", "mse", "--target", "t3.txt"], "Error: target must have the shape 2 (got 1×3)\n"),
        (["--loss", "bce", "--target", "t.txt"], "Error: input must lie between 0 and 1 (got 2.0)\n"),
    ],
)
def test_loss_refusals_are_one_error_line(net, args, message):
    r = CliRunner().invoke(cli, ["run", "x.txt", "flatten | linear(w.txt)", *args])
    assert r.exit_code == 2
    assert r.output == message


def test_train_step_mse_through_batchnorm(net):
    r = run("train-step", "x.txt", "batchnorm(train=true) | flatten | linear(w.txt)", "--loss", "mse",
            "--target", "t.txt", "--optimizer", "sgd", "--lr", "0.1", "--format", "json")
    import json

    doc = json.loads(r.output)
    assert [(p["stage"], p["name"]) for p in doc["params"]] == [(1, "weight"), (1, "bias"), (3, "weight")]
    # batch norm of [1, 2, 3, 4] (mean 2.5, variance 1.25) feeds z = 0.5·(x̂1, x̂4);
    # dL/dbias = Σ dL/dy = 0.5·(dL/dz1 + dL/dz2) with dL/dz = (z − t)
    xhat = [(v - 2.5) / math.sqrt(1.25 + 1e-5) for v in (1, 2, 3, 4)]
    z = [0.5 * xhat[0], 0.5 * xhat[3]]
    dz = [z[0] - 1, z[1] - 0]
    assert abs(doc["loss"][0] - (dz[0] ** 2 + dz[1] ** 2) / 2) < 1e-12
    assert abs(doc["params"][1]["grad"][0] - 0.5 * (dz[0] + dz[1])) < 1e-12


def test_new_stages_on_the_command_line(net):
    r = run("run", "x.txt", "conv_transpose(k.txt, stride=2) | adaptive_avgpool(2, 2)", "--stage", "2",
            "--format", "plain")
    # each 2×2 block of the stamped map is one input cell times the kernel: mean 1111/4·x
    assert r.output == "277.75\t555.50\n833.25\t1111.00\n"
    r = run("shape", "1x4x4", "conv_transpose(2, 3, stride=2) | batchnorm | global_avgpool", "--format", "plain")
    assert r.exit_code == 0
    assert "total\t\t24\t" in r.output


# --------------------------------------------------------------------------- batches


BATCH = "# cnncalc: batch=2\n1 2\n3 4\n\n0 1\n1 0\n"


def test_batch_directive_runs_each_image(net):
    (net / "xb.txt").write_text(BATCH)
    r = run("run", "xb.txt", "flatten | linear(w.txt)", "--target", "1,0", "--format", "plain")
    # image 1: z = [0.5, 2]; image 2: z = [0, 0]; ce = (log(1 + e^-1.5) + log 2)/2
    expected = (math.log(1 + math.exp(-1.5)) + math.log(2)) / 2
    assert r.output.splitlines()[:6] == [
        "# stage 1 · flatten · shape 2×4",
        "1.00\t2.00\t3.00\t4.00",
        "0.00\t1.00\t1.00\t0.00",
        "",
        "# stage 2 · linear(w.txt) · shape 2×2",
        "0.50\t2.00",
    ]
    assert r.output.splitlines()[-2:] == [f"# loss (cross-entropy, target 1,0): {expected:.4f}",
                                         "# predicted class: [1, 0]"]


def test_batch_npy_and_the_batch_mean_in_train_step(net):
    import json

    import numpy as np

    np.save(net / "xb.npy", np.array([[[[1.0, 2.0], [3.0, 4.0]]], [[[0.0, 1.0], [1.0, 0.0]]]]))
    one = json.loads(run("train-step", "x.txt", "flatten | linear(w.txt)", "--target", "1", "--optimizer", "sgd",
                         "--lr", "1", "--format", "json").output)
    both = json.loads(run("train-step", "xb.npy", "flatten | linear(w.txt)", "--target", "1,0",
                          "--optimizer", "sgd", "--lr", "1", "--format", "json").output)
    # image 2's z = [0, 0] for class 0 has dL/dz = [−0.5, 0.5] but x2 = [0, 1, 1, 0]:
    # the batch gradient is the mean of the two images' gradients
    g1 = np.array(one["params"][0]["grad"])
    g2 = np.outer([-0.5, 0.5], [0.0, 1.0, 1.0, 0.0])
    np.testing.assert_allclose(both["params"][0]["grad"], (g1 + g2) / 2, atol=1e-15)
    assert abs(both["loss"][0] - (one["loss"][0] + math.log(2)) / 2) < 1e-15


def test_batch_shape_counts_mult_adds_for_the_batch(net):
    r = run("shape", "4x1x28x28", "conv(6, 5) | relu | maxpool(2) | flatten | linear(10)", "--format", "plain")
    assert r.output.splitlines()[2] == "conv(6, 5)\t4×6×24×24\t156\t359,424"  # 156·24·24·4, torchinfo's count
    assert r.output.splitlines()[-1] == "total\t\t8,806\t394,024"


def test_batch_refusals(net):
    (net / "bad.txt").write_text("# cnncalc: batch=3\n1 2\n\n3 4\n")
    r = CliRunner().invoke(cli, ["relu", "bad.txt"])
    # issue 21: the error names the column of the value and shows the line
    assert (r.exit_code, r.output) == (2, ("Error: bad.txt:1:18: batch=3 must be a positive number of images that "
                                           'divides the 2 blocks (line: "# cnncalc: batch=3")\n'))
    (net / "xb.txt").write_text(BATCH)
    r = CliRunner().invoke(cli, ["run", "xb.txt", "flatten | linear(w.txt)", "--target", "1"])
    assert (r.exit_code, r.output) == (2, "Error: there are 2 samples but 1 targets\n")
    r = CliRunner().invoke(cli, ["run", "x.txt", "flatten | linear(w.txt)", "--target", "0,1"])
    assert (r.exit_code, r.output) == (2, ("Error: one image takes one class index as --target (got 0,1); "
                                           "several classes need a batch of as many images\n"))
