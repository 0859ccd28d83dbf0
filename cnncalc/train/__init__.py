"""Training: analytic backward passes, optimizers and the training step.

``backward`` differentiates every engine operation as PyTorch's autograd does,
``optim`` holds SGD and Adam, ``step`` runs steps of a chain, ``explain`` works
out one weight's gradient, ``save`` writes trained parameters back as files.
"""
