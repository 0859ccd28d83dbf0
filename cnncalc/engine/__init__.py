"""The engine: CNN operations with exactly PyTorch's semantics, on numpy arrays.

``ops`` names every operation (conv2d, pool2d, activations, linear, losses);
``validate`` holds the argument checks they share, ``activations`` and
``losses`` the element-wise functions and the losses, ``fastconv`` the hot loops
(banded BLAS products and FFT). ``padding`` (F.pad), ``grouped`` (the batched
grouped convolution the backward pass plans with), ``transpose``, ``batchnorm``
and ``adaptive`` take (C, H, W) or (N, C, H, W) with PyTorch's layouts; ``arrays``
holds their checks of batches, per-channel vectors and gradients. The engine imports no reader, checker, grader, drawing,
showing or command-line code.
"""
