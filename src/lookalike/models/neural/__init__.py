"""Neural generators in PyTorch: `gan`, `wgan-gp`, `ctgan` and `tvae` (needs lookalike[torch]).

data         DataLayout: encoded frame <-> float matrix (mode-specific or quantile values,
             one-hot categories) and the spans the networks' outputs follow
sampler      ConditionSampler: conditional vectors and training-by-sampling
training     the one training loop (epochs, progress, max_time, Ctrl-C), devices, threads
networks     seeded layers, generators, critics, span activations (imports torch)
base         NeuralModel: fit/sample/save plumbing shared by the four models
validation   EpochScore: the cheap per-epoch fidelity score `keep_best` keeps the best epoch by
adversarial  AdversarialModel: generator-vs-critic training with loss hooks
gan, wgan_gp, ctgan, tvae   the models
"""
