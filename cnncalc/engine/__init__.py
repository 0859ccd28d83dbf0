"""The engine: CNN operations with exactly PyTorch's semantics, on numpy arrays.

``ops`` names every operation (conv2d, pool2d, activations, linear, losses);
``validate`` holds the argument checks they share, ``activations`` and
``losses`` the element-wise functions, ``fastconv`` the hot loops (banded BLAS
products and FFT). The engine imports no reader, checker, grader, drawing,
showing or command-line code.
"""
